/// The page's stylesheet: one column that fits a 360-px phone, light and dark schemes.
enum PageStyle {
    static let text = #"""
        :root { --bg: #fafafa; --fg: #1b1b1f; --muted: #5b5b66; --card: #fff; --line: #d6d6de;
          --me: #dfe7ff; --bot: #eef0f3; --human: #e3f5e8; --accent: #3a5bd9; --bad: #b3261e; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #121216; --fg: #ececf1; --muted: #a9a9b6; --card: #1c1c22; --line: #34343d;
            --me: #27345f; --bot: #25262d; --human: #1f3a29; --accent: #8ea5ff; --bad: #ff8a80; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--fg); }
        header { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem;
          padding: .5rem 1rem; border-bottom: 1px solid var(--line); }
        h1 { font-size: 1.25rem; margin: 0; }
        h2 { font-size: 1.05rem; margin: 0 0 .5rem; }
        main { max-width: 46rem; margin: 0 auto; padding: .75rem; display: grid; gap: .75rem; }
        section { background: var(--card); border: 1px solid var(--line); border-radius: .5rem; padding: .75rem; }
        label { display: block; font-weight: 600; margin-bottom: .25rem; }
        select, textarea { width: 100%; font: inherit; color: inherit; background: var(--bg);
          border: 1px solid var(--line); border-radius: .375rem; padding: .45rem; }
        .row { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .5rem; }
        button { font: inherit; padding: .45rem .8rem; border-radius: .375rem; border: 1px solid var(--accent);
          background: var(--accent); color: var(--bg); cursor: pointer; }
        button[type=button] { background: transparent; color: var(--accent); }
        button:disabled { opacity: .45; cursor: default; }
        :focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .about, .limits, .typing { color: var(--muted); margin: .25rem 0; min-height: 1.2em; }
        .error { color: var(--bad); margin: .25rem 0; min-height: 1.2em; }
        #status[data-state=open] { color: var(--fg); }
        #status[data-state=closed] { color: var(--bad); }
        #log { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: .4rem;
          max-height: 55vh; overflow-y: auto; }
        #log li { padding: .45rem .65rem; border-radius: .6rem; max-width: 85%; white-space: pre-wrap;
          overflow-wrap: anywhere; }
        #log li .who { display: block; font-size: .75rem; color: var(--muted); }
        #log li.me { align-self: flex-end; background: var(--me); }
        #log li.bot { align-self: flex-start; background: var(--bot); }
        #log li.human { align-self: flex-start; background: var(--human); }
        #log li.note { align-self: center; background: transparent; color: var(--muted); font-size: .9rem; }
        #log li[aria-busy=true] .text::after { content: "▍"; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;
          clip: rect(0 0 0 0); white-space: nowrap; }
        @media (max-width: 480px) { main { padding: .4rem; } #log li { max-width: 95%; } }
        """#
}

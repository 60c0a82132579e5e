/// The page's HTML (see ``ChatPage``).
enum PageHTML {
    static let text = #"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <title>Persona chat</title>
        <link rel="icon" href="/icon.svg" type="image/svg+xml">
        <link rel="stylesheet" href="/app.css">
        <script src="/app.js" defer></script>
        </head>
        <body>
        <header>
          <h1>Persona</h1>
          <p id="status" role="status" data-state="connecting">Connecting…</p>
        </header>
        <main>
          <section id="picker" aria-labelledby="picker-title">
            <h2 id="picker-title">Start a chat</h2>
            <label for="personality">Personality</label>
            <select id="personality" aria-describedby="personality-about"></select>
            <p id="personality-about" class="about"></p>
            <div class="row">
              <button id="direct" type="button" disabled>Chat with this personality</button>
              <button id="random" type="button" disabled>Random chat</button>
            </div>
          </section>
          <section id="chat" aria-labelledby="partner">
            <h2 id="partner">No chat yet</h2>
            <p id="limits" class="limits"></p>
            <ol id="log" role="log" aria-label="Conversation"></ol>
            <p id="typing" class="typing" aria-live="polite"></p>
            <p id="error" class="error" role="alert"></p>
            <form id="compose">
              <label for="text">Message</label>
              <textarea id="text" rows="2" maxlength="2000" disabled></textarea>
              <div class="row">
                <button id="send" type="submit" disabled>Send</button>
                <button id="cancel" type="button" disabled>Stop reply</button>
                <button id="end" type="button" disabled>End chat</button>
                <button id="next" type="button" disabled>Next partner</button>
              </div>
            </form>
            <div id="announce" class="visually-hidden" aria-live="polite" aria-atomic="true"></div>
          </section>
        </main>
        </body>
        </html>
        """#
}

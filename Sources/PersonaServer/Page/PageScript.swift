/// The page's script: a `/v1/ws` client with reconnect, resume and plain-words errors.
enum PageScript {
    static let text = #"""
        'use strict';
        (function () {
          const $ = (id) => document.getElementById(id);
          // A key given as ?key= lives in memory only and leaves the address bar at once.
          const query = new URLSearchParams(location.search);
          const apiKey = query.get('key');
          if (apiKey) { query.delete('key'); history.replaceState(null, '', location.pathname + (query.toString() ? '?' + query : '')); }
          const STORE = 'persona.chat';
          let ws = null, attempt = 0, retryTimer = null, countdown = null;
          let personalities = [];
          let state = load();
          let typingSent = false, typingTimer = null, wantFocus = false;
          let nextId = 1;
          const replies = new Map();

          function load() {
            try { return JSON.parse(sessionStorage.getItem(STORE)) || {}; } catch (e) { return {}; }
          }
          function save() { sessionStorage.setItem(STORE, JSON.stringify(state)); }

          const REASONS = {
            user: 'You ended the chat.', partner_left: 'Your partner left.', limit_reached: 'This chat reached its reply limit.',
            idle: 'The chat ended after a quiet spell.', session_timeout: 'The chat reached its time limit.',
            shutdown: 'The server is restarting.', personality_removed: 'This personality was removed.',
            no_partner: 'Nobody was free to chat.', disconnected: 'The chat ended while you were away.', error: 'The chat ended after an error.'
          };
          function say(code, message, retryMs) {
            const wait = retryMs ? Math.max(1, Math.ceil(retryMs / 1000)) : 0;
            switch (code) {
              case 'rate_limited': return 'You are sending too fast — wait ' + wait + ' s.';
              case 'limit_reached': return wait ? 'Limit reached — wait ' + wait + ' s.' : 'You have reached the limit for this chat.';
              case 'message_too_large': return 'That message is too long.';
              case 'busy': return 'Still answering — wait for the reply to finish.';
              case 'unknown_personality': return 'That personality is not available.';
              case 'shutting_down': return 'The server is restarting — reconnecting shortly.';
              case 'store_unavailable': return 'Your message could not be saved — send it again later.';
              case 'session_not_active': return 'This chat is not active.';
              case 'too_many_sessions': return 'Too many chats are open on this connection.';
              default: return message || 'Something went wrong.';
            }
          }

          function setStatus(text, kind) { const s = $('status'); s.textContent = text; s.dataset.state = kind; }
          function showError(text) { $('error').textContent = text || ''; }
          function active() { return !!state.session && !state.ended; }
          function refreshControls() {
            const open = ws && ws.readyState === 1;
            const on = open && active() && !state.matching;
            $('direct').disabled = !open || personalities.length === 0;
            $('random').disabled = !open;
            $('text').disabled = !on;
            $('send').disabled = !on;
            $('end').disabled = !(open && active());
            $('cancel').disabled = !(on && state.streaming);
            $('next').disabled = !(open && state.ended && state.random);
          }
          function showLimits() {
            const el = $('limits');
            if (state.kind !== 'bot' || state.responses == null) { el.textContent = ''; return; }
            const left = Math.max(0, state.responses - (state.replies || 0));
            el.textContent = left + (left === 1 ? ' reply' : ' replies') + ' left in this chat';
          }

          function add(kind, who, text) {
            const li = document.createElement('li');
            li.className = kind;
            const label = document.createElement('span');
            label.className = 'who';
            label.textContent = who;
            const body = document.createElement('span');
            body.className = 'text';
            body.textContent = text || '';
            li.append(label, body);
            const log = $('log');
            log.append(li);
            log.scrollTop = log.scrollHeight;
            return li;
          }
          function partnerName() { return state.kind === 'human' ? 'Stranger (human)' : (state.name || 'Bot') + ' (bot)'; }

          function connect() {
            clearTimeout(retryTimer);
            setStatus(attempt ? 'Reconnecting…' : 'Connecting…', 'connecting');
            const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/v1/ws';
            ws = new WebSocket(url, apiKey ? ['persona.v1', 'persona-key.' + apiKey] : ['persona.v1']);
            ws.onmessage = (event) => handle(JSON.parse(event.data));
            ws.onclose = () => {
              ws = null;
              refreshControls();
              // Backoff 0.5 s, 1 s, 2 s … up to 15 s, with jitter so a restart is not stampeded.
              const delay = Math.min(15000, 500 * 2 ** attempt) * (0.75 + Math.random() / 2);
              attempt += 1;
              setStatus('Disconnected — retrying in ' + Math.ceil(delay / 1000) + ' s', 'closed');
              retryTimer = setTimeout(connect, delay);
            };
          }
          function send(frame) { if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame)); }

          function handle(f) {
            switch (f.type) {
              case 'welcome':
                attempt = 0;
                setStatus('Connected', 'open');
                if (state.session && !state.ended) {
                  // Rebuild the whole conversation from the server's copy.
                  $('log').replaceChildren();
                  replies.clear();
                  if (state.greeting) add('bot', partnerName(), state.greeting);
                  state.replies = 0;
                  send({ type: 'resume', session: state.session, resume_token: state.token, last_seq: 0 });
                }
                break;
              case 'matching': {
                state.matching = true;
                let left = Math.round(f.timeout_ms / 1000);
                $('partner').textContent = 'Waiting for a partner… ' + left + ' s';
                clearInterval(countdown);
                countdown = setInterval(() => {
                  left = Math.max(0, left - 1);
                  if (state.matching) $('partner').textContent = 'Waiting for a partner… ' + left + ' s';
                }, 1000);
                Object.assign(state, { session: f.session, random: true, ended: false });
                save();
                break;
              }
              case 'session_started':
                clearInterval(countdown);
                Object.assign(state, { session: f.session, token: f.resume_token, kind: f.kind, matching: false, ended: false,
                  name: f.personality ? f.personality.name : null, greeting: f.greeting || null, replies: 0,
                  responses: f.personality ? responsesOf(f.personality.id) : null, sent: {} });
                save();
                $('log').replaceChildren();
                $('partner').textContent = f.kind === 'human' ? 'Talking to a stranger (human)' : 'Talking to ' + state.name + ' (bot)';
                if (f.greeting) add(f.kind, partnerName(), f.greeting);
                wantFocus = true;
                break;
              case 'session_resumed':
                state.kind = f.kind;
                if (f.personality) state.name = f.personality.name;
                $('partner').textContent = (f.kind === 'human' ? 'Talking to a stranger (human)' : 'Talking to ' + state.name + ' (bot)') + ' — resumed';
                break;
              case 'ack': {
                let li = document.querySelector('#log li[data-id="' + CSS.escape(f.id) + '"]');
                if (!li) {
                  li = add('me', 'You', (state.sent || {})[f.id] || '');
                  li.dataset.id = f.id;
                }
                li.dataset.seq = f.seq;
                break;
              }
              case 'reply_start': {
                const li = add('bot', partnerName(), '');
                li.setAttribute('aria-busy', 'true');
                replies.set(f.reply, li);
                state.streaming = true;
                break;
              }
              case 'token': {
                const li = replies.get(f.reply);
                if (li) li.querySelector('.text').textContent += f.delta;
                break;
              }
              case 'reply_end': {
                const li = replies.get(f.reply);
                if (li) {
                  li.setAttribute('aria-busy', 'false');
                  if (f.finish === 'cancelled') li.querySelector('.text').textContent += ' (stopped)';
                  $('announce').textContent = li.querySelector('.text').textContent;
                }
                state.streaming = false;
                state.replies = (state.replies || 0) + 1;
                save();
                showLimits();
                break;
              }
              case 'partner_message':
                add('human', partnerName(), f.text);
                $('typing').textContent = '';
                $('announce').textContent = f.text;
                break;
              case 'partner_typing':
                $('typing').textContent = f.on ? 'Your partner is typing…' : '';
                break;
              case 'session_ended':
                clearInterval(countdown);
                if (f.reason === 'shutdown' && state.token) {
                  // A restart keeps the session: the reconnect resumes it.
                  add('note', '', 'The server is restarting — your chat will resume.');
                  break;
                }
                if (f.farewell) add('bot', partnerName(), f.farewell);
                add('note', '', REASONS[f.reason] || 'The chat ended.');
                $('typing').textContent = '';
                Object.assign(state, { ended: true, streaming: false, matching: false });
                save();
                break;
              case 'session_detached':
                add('note', '', 'This chat continued in another tab.');
                state = {};
                save();
                break;
              case 'error':
                if (['unknown_session', 'invalid_resume_token', 'session_expired', 'not_your_session'].includes(f.code) && f.session === state.session) {
                  showError('Your previous chat has ended — start a new one.');
                  state = {};
                  save();
                } else {
                  showError(say(f.code, f.message, f.retry_after_ms));
                }
                break;
            }
            showLimits();
            refreshControls();
            // Focus moves to the message box once it is enabled (keyboard users type at once).
            if (wantFocus && !$('text').disabled) { wantFocus = false; $('text').focus(); }
          }

          function responsesOf(id) {
            const p = personalities.find((x) => x.id === id);
            return p && p.limits ? p.limits.responses_per_session : null;
          }

          function startChat(frame) {
            showError('');
            state = { random: frame.mode === 'random' };
            save();
            $('log').replaceChildren();
            send(frame);
          }

          function setTyping(on) {
            if (state.kind !== 'human' || typingSent === on) return;
            typingSent = on;
            send({ type: 'typing', session: state.session, on: on });
          }

          async function loadPersonalities() {
            const headers = apiKey ? { Authorization: 'Bearer ' + apiKey } : {};
            try {
              const response = await fetch('/v1/personalities', { headers });
              if (!response.ok) { showError(response.status === 401 ? 'The server needs a valid key (add ?key=… to the address).' : 'Could not load the personalities.'); return; }
              personalities = (await response.json()).personalities;
            } catch (e) { showError('Could not load the personalities.'); return; }
            const select = $('personality');
            for (const p of personalities) {
              const option = document.createElement('option');
              option.value = p.id;
              option.textContent = p.name + ' (' + p.language + ')';
              select.append(option);
            }
            describe();
            refreshControls();
          }
          function describe() {
            const p = personalities.find((x) => x.id === $('personality').value);
            $('personality-about').textContent = p ? p.description + (p.tags.length ? ' — ' + p.tags.join(', ') : '') : '';
          }

          $('personality').addEventListener('change', describe);
          $('direct').addEventListener('click', () => startChat({ type: 'start', personality: $('personality').value }));
          $('random').addEventListener('click', () => startChat({ type: 'start', mode: 'random' }));
          $('compose').addEventListener('submit', (event) => {
            event.preventDefault();
            const text = $('text').value.trim();
            if (!text || !active()) return;
            const id = 'm' + Date.now().toString(36) + '-' + nextId++;
            state.sent = state.sent || {};
            state.sent[id] = text;
            save();
            const li = add('me', 'You', text);
            li.dataset.id = id;
            send({ type: 'message', session: state.session, text: text, id: id });
            $('text').value = '';
            setTyping(false);
            showError('');
          });
          $('text').addEventListener('keydown', (event) => {
            if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); $('compose').requestSubmit(); }
          });
          $('text').addEventListener('input', () => {
            setTyping($('text').value.length > 0);
            clearTimeout(typingTimer);
            typingTimer = setTimeout(() => setTyping(false), 3000);
          });
          $('cancel').addEventListener('click', () => send({ type: 'cancel', session: state.session }));
          $('end').addEventListener('click', () => send({ type: 'end', session: state.session }));
          $('next').addEventListener('click', () => {
            const previous = state.session;
            state = { random: true };
            save();
            $('log').replaceChildren();
            send({ type: 'next', session: previous });
          });

          loadPersonalities();
          connect();
        })();
        """#
}

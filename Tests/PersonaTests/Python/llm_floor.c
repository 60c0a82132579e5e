/*
 * The native side of `bench_ttft.py`: a fast OpenAI-compatible streaming upstream and a load
 * generator that measures its time to first token, both without Python in the way.
 *
 *   cc -O2 -o llm_floor llm_floor.c
 *   ./llm_floor upstream PORT
 *       answers every POST with a streamed chat completion (chunked event stream: a role chunk,
 *       five content tokens, a finish chunk, a usage chunk, [DONE]) in one write; keep-alive.
 *   ./llm_floor client PORT CONNECTIONS SECONDS [RATE]
 *       keeps one POST /v1/chat/completions in flight per connection (RATE > 0: each connection
 *       sends RATE requests a second at most, the next one 1/RATE s after the last was sent, as
 *       `persona bench chat --rate` does); prints
 *       {"streams_per_second":…, "ttft_p50_ms":…, "ttft_p99_ms":…, "count":…}
 *       where TTFT is from sending a request to the first non-empty "content" in the response.
 *   ./llm_floor ws PORT PERSONALITY SESSIONS SECONDS [RATE]
 *       the same load through Persona: one /v1/ws connection and session per SESSION on
 *       PERSONALITY, one `message` in flight per session, paced as above; TTFT is from sending
 *       the message to its first `token` frame; prints the same JSON. The same loop, timer and
 *       CPU as `client`, so the two numbers differ only by what sits between them.
 *
 * One thread each, edge-triggered epoll, as `persona serve` itself runs.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER 65536

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

typedef struct {
    int fd;
    char in[BUFFER];
    size_t used;
    const char *pending; /* unsent response bytes */
    size_t pending_len;
    double sent_at;
    double next_at; /* when a paced connection sends again; 0: nothing waits */
    int got_first;
} conn_t;

static char response[4096];
static size_t response_len;

static void append_chunk(const char *event) {
    char line[1024];
    int n = snprintf(line, sizeof line, "data: %s\n\n", event);
    response_len += (size_t)snprintf(response + response_len, sizeof response - response_len, "%x\r\n%s\r\n", n, line);
}

static void build_response(void) {
    response_len = (size_t)snprintf(response, sizeof response,
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
        "Transfer-Encoding: chunked\r\n\r\n");
    const char *head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"floor\",\"choices\":[";
    char event[512];
    snprintf(event, sizeof event, "%s{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}", head);
    append_chunk(event);
    const char *tokens[] = {"The ", "quick ", "brown ", "fox ", "jumps."};
    for (int i = 0; i < 5; i++) {
        snprintf(event, sizeof event, "%s{\"index\":0,\"delta\":{\"content\":\"%s\"}}]}", head, tokens[i]);
        append_chunk(event);
    }
    snprintf(event, sizeof event, "%s{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}", head);
    append_chunk(event);
    snprintf(event, sizeof event, "%s],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}", head);
    append_chunk(event);
    append_chunk("[DONE]");
    response_len += (size_t)snprintf(response + response_len, sizeof response - response_len, "0\r\n\r\n");
}

static void flush_pending(conn_t *c) {
    while (c->pending_len > 0) {
        ssize_t n = send(c->fd, c->pending, c->pending_len, MSG_NOSIGNAL);
        if (n < 0) return; /* EAGAIN: EPOLLOUT resumes; errors: the read side closes */
        c->pending += n;
        c->pending_len -= (size_t)n;
    }
}

/* Length of one complete request at the start of `c->in`, or 0. */
static size_t complete_request(conn_t *c) {
    char *end = memmem(c->in, c->used, "\r\n\r\n", 4);
    if (!end) return 0;
    size_t head = (size_t)(end - c->in) + 4;
    size_t body = 0;
    for (char *p = c->in; p < end; p++) {
        if ((p == c->in || p[-1] == '\n') && strncasecmp(p, "content-length:", 15) == 0) body = strtoul(p + 15, NULL, 10);
    }
    return c->used >= head + body ? head + body : 0;
}

static int run_upstream(int port) {
    build_response();
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0) die("bind");
    if (listen(listener, 4096) < 0) die("listen");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);
    printf("ready\n");
    fflush(stdout);
    struct epoll_event events[256];
    for (;;) {
        int n = epoll_wait(ep, events, 256, -1);
        for (int i = 0; i < n; i++) {
            conn_t *c = events[i].data.ptr;
            if (!c) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    conn_t *fresh = calloc(1, sizeof *fresh);
                    fresh->fd = fd;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = fresh};
                    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &cev);
                }
                continue;
            }
            if (events[i].events & EPOLLOUT) flush_pending(c);
            int closed = 0;
            for (;;) {
                ssize_t r = recv(c->fd, c->in + c->used, BUFFER - c->used, 0);
                if (r > 0) {
                    c->used += (size_t)r;
                    size_t length;
                    while ((length = complete_request(c)) > 0) {
                        memmove(c->in, c->in + length, c->used - length);
                        c->used -= length;
                        c->pending = response;
                        c->pending_len = response_len;
                        flush_pending(c);
                    }
                    if (c->used == BUFFER) c->used = 0; /* a request larger than the buffer: drop it */
                } else if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
                    closed = 1;
                    break;
                } else if (errno == EAGAIN) {
                    break;
                }
            }
            if (closed) {
                close(c->fd);
                free(c);
            }
        }
    }
    return 0;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A non-blocking loopback connection to `port`, registered edge-triggered with `owner`. */
static int dial(int ep, int port, void *owner) {
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) die("connect");
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (ioctl(fd, FIONBIO, &one) < 0) die("ioctl");
    struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = owner};
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    return fd;
}

/* The one-line JSON summary both load generators print. */
static void print_report(double *samples, size_t count, long streams, double elapsed) {
    qsort(samples, count, sizeof *samples, compare);
    double p50 = count ? samples[(size_t)(0.50 * (double)count)] : 0;
    double p99 = count ? samples[(size_t)(0.99 * (double)count) < count ? (size_t)(0.99 * (double)count) : count - 1] : 0;
    printf("{\"streams_per_second\": %.1f, \"ttft_p50_ms\": %.3f, \"ttft_p99_ms\": %.3f, \"count\": %zu}\n",
        (double)streams / elapsed, p50, p99, count);
}

static const char request_body[] = "{\"model\":\"floor\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}";

static void send_request(conn_t *c, const char *request, size_t length) {
    c->used = 0;
    c->got_first = 0;
    c->sent_at = now_ms();
    c->pending = request;
    c->pending_len = length;
    flush_pending(c);
}

static int run_client(int port, int connections, double seconds, double rate) {
    char request[512];
    size_t request_len = (size_t)snprintf(request, sizeof request,
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: %zu\r\n\r\n%s", strlen(request_body), request_body);
    int ep = epoll_create1(0);
    conn_t *conns = calloc((size_t)connections, sizeof *conns);
    for (int i = 0; i < connections; i++) conns[i].fd = dial(ep, port, &conns[i]);
    size_t capacity = 1 << 20, count = 0;
    double *samples = malloc(capacity * sizeof *samples);
    long streams = 0;
    double start = now_ms(), deadline = start + seconds * 1000;
    for (int i = 0; i < connections; i++) {
        if (rate > 0) {
            conns[i].next_at = start + (1000.0 / rate) * i / connections; /* spread, not a burst */
        } else {
            send_request(&conns[i], request, request_len);
        }
    }
    struct epoll_event events[256];
    while (now_ms() < deadline) {
        int n = epoll_wait(ep, events, 256, rate > 0 ? 1 : 50);
        if (rate > 0) {
            double now = now_ms();
            for (int i = 0; i < connections; i++) {
                if (conns[i].next_at > 0 && conns[i].next_at <= now) {
                    conns[i].next_at = 0;
                    send_request(&conns[i], request, request_len);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            conn_t *c = events[i].data.ptr;
            if (events[i].events & EPOLLOUT) flush_pending(c);
            for (;;) {
                if (c->used == BUFFER) c->used = 0;
                ssize_t r = recv(c->fd, c->in + c->used, BUFFER - c->used - 1, 0);
                if (r <= 0) {
                    if (r == 0) { fprintf(stderr, "the server closed a connection\n"); exit(1); }
                    break;
                }
                c->used += (size_t)r;
                c->in[c->used] = 0;
                if (!c->got_first) {
                    char *p = c->in;
                    while ((p = memmem(p, c->used - (size_t)(p - c->in), "\"content\":\"", 11)) != NULL) {
                        p += 11;
                        if (p < c->in + c->used && *p != '"') {
                            c->got_first = 1;
                            if (count == capacity) samples = realloc(samples, (capacity *= 2) * sizeof *samples);
                            samples[count++] = now_ms() - c->sent_at;
                            break;
                        }
                    }
                }
                if (c->used >= 5 && memcmp(c->in + c->used - 5, "0\r\n\r\n", 5) == 0) {
                    streams++;
                    if (rate > 0) {
                        c->next_at = c->sent_at + 1000.0 / rate;
                        c->used = 0;
                        if (c->next_at <= now_ms()) {
                            c->next_at = 0;
                            send_request(c, request, request_len);
                        }
                    } else {
                        send_request(c, request, request_len);
                    }
                }
            }
        }
    }
    print_report(samples, count, streams, (now_ms() - start) / 1000);
    return 0;
}

/* ---- /v1/ws client (RFC 6455 §5.2 framing; client frames masked with a zero key, §5.3) ---- */

typedef struct {
    int fd;
    char in[BUFFER];
    size_t used;
    char out[1024];
    size_t out_len; /* unsent bytes at the start of `out` */
    double sent_at;
    double next_at;
    int state; /* 0: upgrading, 1: starting, 2: idle, 3: awaiting the first token, 4: streaming */
    char session[64];
    long count;
} ws_t;

static void ws_flush(ws_t *c) {
    size_t done = 0;
    while (done < c->out_len) {
        ssize_t n = send(c->fd, c->out + done, c->out_len - done, MSG_NOSIGNAL);
        if (n <= 0) break;
        done += (size_t)n;
    }
    memmove(c->out, c->out + done, c->out_len - done);
    c->out_len -= done;
}

static void ws_send_text(ws_t *c, const char *text) {
    size_t n = strlen(text);
    unsigned char *o = (unsigned char *)c->out + c->out_len;
    size_t head;
    o[0] = 0x81;
    if (n < 126) {
        o[1] = (unsigned char)(0x80 | n);
        head = 2;
    } else {
        o[1] = 0x80 | 126;
        o[2] = (unsigned char)(n >> 8);
        o[3] = (unsigned char)n;
        head = 4;
    }
    memset(o + head, 0, 4); /* masking key 0: the payload is sent as is */
    memcpy(o + head + 4, text, n);
    c->out_len += head + 4 + n;
    ws_flush(c);
}

static void ws_send_message(ws_t *c) {
    char text[256];
    snprintf(text, sizeof text, "{\"type\":\"message\",\"session\":\"%s\",\"text\":\"hello\",\"id\":\"m%ld\"}",
        c->session, ++c->count);
    c->state = 3;
    c->sent_at = now_ms();
    ws_send_text(c, text);
}

static int run_ws(int port, const char *personality, int sessions, double seconds, double rate) {
    int ep = epoll_create1(0);
    ws_t *conns = calloc((size_t)sessions, sizeof *conns);
    const char *upgrade = "GET /v1/ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    for (int i = 0; i < sessions; i++) {
        conns[i].fd = dial(ep, port, &conns[i]);
        memcpy(conns[i].out, upgrade, strlen(upgrade));
        conns[i].out_len = strlen(upgrade);
        ws_flush(&conns[i]);
    }
    size_t capacity = 1 << 20, count = 0;
    double *samples = malloc(capacity * sizeof *samples);
    long streams = 0;
    int ready = 0;
    double start = 0, deadline = now_ms() + 30000; /* until every session started */
    struct epoll_event events[256];
    while (now_ms() < deadline) {
        int n = epoll_wait(ep, events, 256, rate > 0 ? 1 : 50);
        if (rate > 0 && start > 0) {
            double now = now_ms();
            for (int i = 0; i < sessions; i++) {
                if (conns[i].state == 2 && conns[i].next_at > 0 && conns[i].next_at <= now) {
                    conns[i].next_at = 0;
                    ws_send_message(&conns[i]);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            ws_t *c = events[i].data.ptr;
            if (events[i].events & EPOLLOUT) ws_flush(c);
            for (;;) {
                ssize_t r = recv(c->fd, c->in + c->used, BUFFER - c->used - 1, 0);
                if (r <= 0) {
                    if (r == 0) { fprintf(stderr, "the server closed a connection\n"); exit(1); }
                    break;
                }
                c->used += (size_t)r;
                size_t at = 0;
                if (c->state == 0) {
                    char *end = memmem(c->in, c->used, "\r\n\r\n", 4);
                    if (!end) continue;
                    if (strncmp(c->in, "HTTP/1.1 101", 12) != 0) { fprintf(stderr, "upgrade refused\n"); exit(1); }
                    at = (size_t)(end - c->in) + 4;
                    c->state = 1;
                    char text[256];
                    snprintf(text, sizeof text, "{\"type\":\"start\",\"personality\":\"%s\"}", personality);
                    ws_send_text(c, text);
                }
                for (;;) { /* every whole frame in the buffer */
                    unsigned char *f = (unsigned char *)c->in + at;
                    size_t left = c->used - at;
                    if (left < 2) break;
                    size_t len = f[1] & 0x7f, head = 2;
                    if (len == 126) {
                        if (left < 4) break;
                        len = (size_t)f[2] << 8 | f[3];
                        head = 4;
                    } else if (len == 127) {
                        if (left < 10) break;
                        len = 0;
                        for (int k = 2; k < 10; k++) len = len << 8 | f[k];
                        head = 10;
                    }
                    if (left < head + len) break;
                    char *payload = (char *)f + head;
                    at += head + len;
                    if ((f[0] & 0x0f) != 1) continue;
                    if (c->state == 1 && memmem(payload, len, "\"type\":\"session_started\"", 24)) {
                        char *s = memmem(payload, len, "\"session\":\"", 11);
                        if (!s) { fprintf(stderr, "session_started without a session\n"); exit(1); }
                        s += 11;
                        size_t k = 0;
                        while (s[k] != '"' && k < sizeof c->session - 1) { c->session[k] = s[k]; k++; }
                        c->session[k] = 0;
                        c->state = 2;
                        ready++;
                    } else if (c->state == 3 && memmem(payload, len, "\"type\":\"token\"", 14)) {
                        c->state = 4;
                        if (start > 0) {
                            if (count == capacity) samples = realloc(samples, (capacity *= 2) * sizeof *samples);
                            samples[count++] = now_ms() - c->sent_at;
                        }
                    } else if ((c->state == 3 || c->state == 4) && memmem(payload, len, "\"type\":\"reply_end\"", 18)) {
                        if (start > 0) streams++;
                        c->state = 2;
                        if (start > 0 && rate > 0) {
                            c->next_at = c->sent_at + 1000.0 / rate;
                            if (c->next_at <= now_ms()) { c->next_at = 0; ws_send_message(c); }
                        } else if (start > 0) {
                            ws_send_message(c);
                        }
                    } else if (memmem(payload, len, "\"type\":\"error\"", 14)) {
                        fprintf(stderr, "error frame: %.*s\n", (int)len, payload);
                        exit(1);
                    }
                }
                memmove(c->in, c->in + at, c->used - at);
                c->used -= at;
            }
        }
        if (start == 0 && ready == sessions) { /* every session started: measure from now */
            start = now_ms();
            deadline = start + seconds * 1000;
            for (int i = 0; i < sessions; i++) {
                if (rate > 0) conns[i].next_at = start + (1000.0 / rate) * i / sessions;
                else ws_send_message(&conns[i]);
            }
        }
    }
    if (start == 0) { fprintf(stderr, "only %d of %d sessions started\n", ready, sessions); exit(1); }
    print_report(samples, count, streams, (now_ms() - start) / 1000);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "upstream") == 0) return run_upstream(atoi(argv[2]));
    if (argc >= 5 && strcmp(argv[1], "client") == 0)
        return run_client(atoi(argv[2]), atoi(argv[3]), atof(argv[4]), argc >= 6 ? atof(argv[5]) : 0);
    if (argc >= 6 && strcmp(argv[1], "ws") == 0)
        return run_ws(atoi(argv[2]), argv[3], atoi(argv[4]), atof(argv[5]), argc >= 7 ? atof(argv[6]) : 0);
    fprintf(stderr, "usage: llm_floor upstream PORT | client PORT CONNECTIONS SECONDS [RATE] | ws PORT PERSONALITY SESSIONS SECONDS [RATE]\n");
    return 64;
}

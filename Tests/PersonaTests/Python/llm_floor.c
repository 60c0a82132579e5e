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
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    for (int i = 0; i < connections; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(fd, (struct sockaddr *)&address, sizeof address) < 0) die("connect");
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        int flags = 1;
        if (ioctl(fd, FIONBIO, &flags) < 0) die("ioctl");
        conns[i].fd = fd;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = &conns[i]};
        epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
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
    double elapsed = (now_ms() - start) / 1000;
    qsort(samples, count, sizeof *samples, compare);
    double p50 = count ? samples[(size_t)(0.50 * (double)count)] : 0;
    double p99 = count ? samples[(size_t)(0.99 * (double)count) < count ? (size_t)(0.99 * (double)count) : count - 1] : 0;
    printf("{\"streams_per_second\": %.1f, \"ttft_p50_ms\": %.3f, \"ttft_p99_ms\": %.3f, \"count\": %zu}\n",
        (double)streams / elapsed, p50, p99, count);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "upstream") == 0) return run_upstream(atoi(argv[2]));
    if (argc >= 5 && strcmp(argv[1], "client") == 0)
        return run_client(atoi(argv[2]), atoi(argv[3]), atof(argv[4]), argc >= 6 ? atof(argv[5]) : 0);
    fprintf(stderr, "usage: llm_floor upstream PORT | client PORT CONNECTIONS SECONDS [RATE]\n");
    return 64;
}

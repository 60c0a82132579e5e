/*
 * The Socket.IO floor for `bench_socketio.py`: the least work a server can do for the echo
 * load of socketio_load.c, to put both servers' numbers next to what the kernel alone allows
 * in the same run (as loopback_floor.c does for `bench_echo.py`).
 *
 * Not a Socket.IO server: it answers exactly what socketio_load.c sends and nothing else. The
 * upgrade is accepted only for the RFC 6455 sample key the load generator uses (section 1.3:
 * key dGhlIHNhbXBsZSBub25jZQ==, accept s3pPLMBiTxaQ9kYGzzhZRbK+xOo=), so no SHA-1 is needed.
 * Then: the open packet, `40` answered with `40{"sid":...}` and `42["auth",{}]`, and every
 * `42["message",ARGS]` answered with `42["message-back",ARGS]` as one unmasked text frame,
 * sent right after its read. Pongs (`3`) are ignored; anything else closes the connection.
 * One thread, edge-triggered epoll, recv/send, no allocation per message.
 *
 *   cc -O2 -o socketio_floor socketio_floor.c
 *   ./socketio_floor PORT          prints `listening` once ready
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loopback_dial.h"

enum { MAX_EVENTS = 4096, MAX_FD = 65536, INPUT = 4096 };

static const char accept_head[] =
    "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n";
static const char sample_key[] = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
static const char open_packet[] =
    "0{\"sid\":\"floor\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}";
static const char event_prefix[] = "42[\"message\",";
static const char echo_prefix[] = "42[\"message-back\",";

struct connection {
    int upgraded;
    size_t have;
    unsigned char input[INPUT];
};

static struct connection *connections[MAX_FD];

/* Appends one unmasked text frame carrying `text` to `out` (section 5.2); returns its size. */
static size_t frame_text(unsigned char *out, const char *text, size_t length) {
    size_t header = 2;
    out[0] = 0x81;
    if (length < 126) {
        out[1] = (unsigned char)length;
    } else {
        out[1] = 126;
        out[2] = (unsigned char)(length >> 8);
        out[3] = (unsigned char)length;
        header = 4;
    }
    memcpy(out + header, text, length);
    return header + length;
}

static void drop(int fd) {
    free(connections[fd]);
    connections[fd] = NULL;
    close(fd);
}

/* Answers one complete text message; returns 0 when the connection must close. */
static int answer(int fd, const unsigned char *text, size_t length) {
    unsigned char out[INPUT + 64];
    size_t size = 0;
    size_t prefix = sizeof event_prefix - 1;
    if (length > prefix && memcmp(text, event_prefix, prefix) == 0) {
        char reply[INPUT + 32];
        size_t rest = length - prefix;
        memcpy(reply, echo_prefix, sizeof echo_prefix - 1);
        memcpy(reply + sizeof echo_prefix - 1, text + prefix, rest);
        size = frame_text(out, reply, sizeof echo_prefix - 1 + rest);
    } else if (length == 2 && memcmp(text, "40", 2) == 0) {
        size = frame_text(out, "40{\"sid\":\"floor#1\"}", 18);
        size += frame_text(out + size, "42[\"auth\",{}]", 13);
    } else if (length == 1 && text[0] == '3') {
        return 1;
    } else {
        return 0;
    }
    return send(fd, out, size, MSG_NOSIGNAL) == (ssize_t)size;
}

/* Consumes every complete masked client frame buffered on `c`; returns 0 to close. */
static int take_frames(int fd, struct connection *c) {
    size_t offset = 0;
    while (c->have - offset >= 6) {
        unsigned char *frame = c->input + offset;
        size_t length = frame[1] & 0x7f;
        size_t header = 6;
        if (!(frame[1] & 0x80) || length == 127) return 0;
        if (length == 126) {
            if (c->have - offset < 8) break;
            length = ((size_t)frame[2] << 8) | frame[3];
            header = 8;
        }
        if (header + length > INPUT) return 0;
        if (c->have - offset < header + length) break;
        if ((frame[0] & 0x0f) != 1) return 0;
        unsigned char *payload = frame + header;
        for (size_t i = 0; i < length; i++) payload[i] ^= frame[header - 4 + i % 4];
        if (!answer(fd, payload, length)) return 0;
        offset += header + length;
    }
    memmove(c->input, c->input + offset, c->have - offset);
    c->have -= offset;
    return 1;
}

/* The upgrade request: answered once its head is complete, if it carries the sample key. */
static int upgrade(int fd, struct connection *c) {
    c->input[c->have] = 0;
    char *end = strstr((char *)c->input, "\r\n\r\n");
    if (!end) return c->have < INPUT - 1;
    if (!strstr((char *)c->input, sample_key)) return 0;
    unsigned char out[512];
    size_t size = sizeof accept_head - 1;
    memcpy(out, accept_head, size);
    size += frame_text(out + size, open_packet, sizeof open_packet - 1);
    c->upgraded = 1;
    size_t rest = c->have - (size_t)(end + 4 - (char *)c->input);
    memmove(c->input, end + 4, rest);
    c->have = rest;
    return send(fd, out, size, MSG_NOSIGNAL) == (ssize_t)size;
}

/* Reads until the socket is empty (a short read); returns 0 to close. */
static int readable(int fd, struct connection *c) {
    for (;;) {
        size_t room = INPUT - 1 - c->have;
        ssize_t count = recv(fd, c->input + c->have, room, 0);
        if (count == 0) return 0;
        if (count < 0) return errno == EAGAIN || errno == EINTR;
        c->have += (size_t)count;
        if (!c->upgraded && !upgrade(fd, c)) return 0;
        if (c->upgraded && !take_frames(fd, c)) return 0;
        if ((size_t)count < room) return 1;
    }
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: socketio_floor PORT\n");
        return 2;
    }
    struct epoll_event events[MAX_EVENTS];
    int one = 1;
    int listener = listen_loopback(atoi(argv[1]));
    int epoll_fd = epoll_create1(0);
    watch(epoll_fd, listener, EPOLLIN);
    printf("listening\n");
    fflush(stdout);
    for (;;) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    if (client >= MAX_FD) {
                        close(client);
                        continue;
                    }
                    setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    connections[client] = calloc(1, sizeof(struct connection));
                    watch(epoll_fd, client, EPOLLIN | EPOLLET);
                }
                continue;
            }
            if (connections[fd] && !readable(fd, connections[fd])) drop(fd);
        }
    }
}

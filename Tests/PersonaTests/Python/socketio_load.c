/*
 * The load generator of `bench_socketio.py`: Socket.IO event round trips over WebSocket, in C,
 * so that the client costs far less CPU than either server it loads and the ratio measures the
 * servers, not the client.
 *
 * Each connection opens the Engine.IO v4 WebSocket transport directly
 * (`GET /socket.io/?EIO=4&transport=websocket`), answers the open packet (`0{...}`) with a
 * Socket.IO CONNECT to `/` (`40`), and waits for both the CONNECT answer (`40{...}`) and the
 * `auth` event the echo servers emit on connect. Then it keeps IN_FLIGHT events
 * `42["message","x...x"]` (a 32-character string) outstanding and counts the
 * `42["message-back",...]` answers, recording each round trip. Server pings (`2`) are answered
 * with pongs (`3`). Frames from the server are parsed incrementally (RFC 6455 section 5.2,
 * unmasked, 7/16/64-bit lengths); frames to it are masked text frames (section 5.3).
 *
 *   cc -O2 -o socketio_load socketio_load.c
 *   ./socketio_load PORT CONNECTIONS SECONDS [IN_FLIGHT]
 *
 * prints `measuring` once every connection has joined, then one JSON line at the end: messages,
 * messages_per_second, round_trip {p50_ms, p99_ms, max_ms}, errors, and client_cpu_seconds
 * (this process's user + system time while measuring).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loopback_dial.h"

enum { MAX_EVENTS = 4096, FRAME_BUFFER = 8192, MAX_IN_FLIGHT = 64 };
/* Round-trip histogram: 1 microsecond buckets up to 1 second, then one overflow bucket. */
enum { BUCKETS = 1000001 };

static const char event[] = "42[\"message\",\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"]";
static const char echo_prefix[] = "42[\"message-back\"";

struct link {
    int fd;
    int connected;   /* open packet answered, CONNECT answer and `auth` both seen */
    int handshake;   /* bit 1: open packet, bit 2: CONNECT answer, bit 4: `auth` */
    size_t have;     /* bytes buffered in `frame` */
    unsigned char frame[FRAME_BUFFER];
    uint64_t sent[MAX_IN_FLIGHT];
    int head, outstanding;
};

static struct link *links;
static uint64_t *histogram;
static long errors;

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static double cpu_seconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return (double)usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + (double)usage.ru_stime.tv_sec +
           usage.ru_stime.tv_usec / 1e6;
}

/* Writes a masked text frame carrying `text` (section 5.2: FIN, opcode 1, MASK, key). */
static void send_text(int fd, const char *text, size_t length) {
    unsigned char frame[256];
    static const unsigned char key[4] = {0x11, 0x22, 0x33, 0x44};
    size_t header = 2;
    frame[0] = 0x81;
    if (length < 126) {
        frame[1] = 0x80 | (unsigned char)length;
    } else {
        frame[1] = 0x80 | 126;
        frame[2] = (unsigned char)(length >> 8);
        frame[3] = (unsigned char)length;
        header = 4;
    }
    memcpy(frame + header, key, 4);
    for (size_t i = 0; i < length; i++) frame[header + 4 + i] = (unsigned char)text[i] ^ key[i % 4];
    if (send(fd, frame, header + 4 + length, MSG_NOSIGNAL) != (ssize_t)(header + 4 + length)) errors++;
}

static void send_event(struct link *link) {
    int slot = (link->head + link->outstanding) % MAX_IN_FLIGHT;
    link->sent[slot] = now_ns();
    link->outstanding++;
    send_text(link->fd, event, sizeof event - 1);
}

static int starts_with(const unsigned char *data, size_t length, const char *prefix) {
    size_t count = strlen(prefix);
    return length >= count && memcmp(data, prefix, count) == 0;
}

/* One complete text message from the server. Returns 1 for an echo (a round trip done). */
static int received(struct link *link, const unsigned char *data, size_t length) {
    if (length == 1 && data[0] == '2') {
        send_text(link->fd, "3", 1);
        return 0;
    }
    if (!link->connected) {
        if (starts_with(data, length, "0{")) {
            link->handshake |= 1;
            send_text(link->fd, "40", 2);
        } else if (starts_with(data, length, "40{")) {
            link->handshake |= 2;
        } else if (starts_with(data, length, "42[\"auth\"")) {
            link->handshake |= 4;
        } else {
            errors++;
        }
        link->connected = link->handshake == 7;
        return 0;
    }
    if (!starts_with(data, length, echo_prefix) || link->outstanding == 0) {
        errors++;
        return 0;
    }
    uint64_t micros = (now_ns() - link->sent[link->head]) / 1000;
    histogram[micros < BUCKETS - 1 ? micros : BUCKETS - 1]++;
    link->head = (link->head + 1) % MAX_IN_FLIGHT;
    link->outstanding--;
    return 1;
}

/* Parses every complete frame buffered on `link`; returns the echoes among them. */
static int drain_frames(struct link *link) {
    int echoes = 0;
    size_t offset = 0;
    while (link->have - offset >= 2) {
        const unsigned char *frame = link->frame + offset;
        size_t available = link->have - offset;
        uint64_t length = frame[1] & 0x7f;
        size_t header = 2;
        if (length == 126) {
            if (available < 4) break;
            length = ((uint64_t)frame[2] << 8) | frame[3];
            header = 4;
        } else if (length == 127) {
            if (available < 10) break;
            length = 0;
            for (int i = 0; i < 8; i++) length = (length << 8) | frame[2 + i];
            header = 10;
        }
        if (header + length > FRAME_BUFFER) {
            errors++;
            link->have = 0;
            return echoes;
        }
        if (available < header + length) break;
        int opcode = frame[0] & 0x0f;
        if (opcode == 1) echoes += received(link, frame + header, (size_t)length);
        else if (opcode != 9 && opcode != 10) errors++;
        offset += header + (size_t)length;
    }
    memmove(link->frame, link->frame + offset, link->have - offset);
    link->have -= offset;
    return echoes;
}

/* Reads everything available on `link`; returns the echoes received, -1 when it closed.
   A read shorter than the room offered has emptied the socket, so the loop stops there instead
   of paying one more `recv` for EAGAIN (data arriving later raises a new edge). */
static int pump(struct link *link) {
    int echoes = 0;
    for (;;) {
        size_t room = FRAME_BUFFER - link->have;
        ssize_t count = recv(link->fd, link->frame + link->have, room, 0);
        if (count == 0) return -1;
        if (count < 0) return (errno == EAGAIN || errno == EINTR) ? echoes : -1;
        link->have += (size_t)count;
        echoes += drain_frames(link);
        if ((size_t)count < room) return echoes;
    }
}

/* Connects (loopback_dial.h), sends the upgrade request and reads the 101 head;
   bytes after the head (the open packet, perhaps) stay buffered on the link. */
static void open_link(struct link *link, int index, int port) {
    static const char request[] =
        "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    int fd = dial(index, port);
    send(fd, request, sizeof request - 1, MSG_NOSIGNAL);
    char head[2048];
    size_t have = 0;
    while (have < sizeof head - 1) {
        ssize_t count = recv(fd, head + have, sizeof head - 1 - have, 0);
        if (count <= 0) break;
        have += (size_t)count;
        head[have] = 0;
        char *end = strstr(head, "\r\n\r\n");
        if (end) {
            if (strncmp(head, "HTTP/1.1 101", 12) != 0) break;
            size_t rest = have - (size_t)(end + 4 - head);
            memcpy(link->frame, end + 4, rest);
            link->have = rest;
            link->fd = fd;
            fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
            return;
        }
    }
    fprintf(stderr, "handshake failed: %.*s\n", (int)have, head);
    exit(1);
}

static double percentile(double fraction, long total) {
    long target = (long)(fraction * (double)total + 0.5);
    long seen = 0;
    for (long i = 0; i < BUCKETS; i++) {
        seen += (long)histogram[i];
        if (seen >= target && seen > 0) return (double)i / 1000.0;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s PORT CONNECTIONS SECONDS [IN_FLIGHT]\n", argv[0]);
        return 64;
    }
    int port = atoi(argv[1]);
    int connections = atoi(argv[2]);
    double duration = atof(argv[3]);
    int in_flight = argc > 4 ? atoi(argv[4]) : 1;
    if (connections < 1 || in_flight < 1 || in_flight > MAX_IN_FLIGHT) {
        fprintf(stderr, "CONNECTIONS >= 1, 1 <= IN_FLIGHT <= %d\n", MAX_IN_FLIGHT);
        return 64;
    }
    links = calloc((size_t)connections, sizeof *links);
    histogram = calloc(BUCKETS, sizeof *histogram);
    struct epoll_event events[MAX_EVENTS];
    int epoll_fd = epoll_create1(0);
    for (int i = 0; i < connections; i++) {
        open_link(&links[i], i, port);
        struct epoll_event watch = {.events = EPOLLIN | EPOLLET, .data.ptr = &links[i]};
        epoll_ctl(epoll_fd, EPOLL_CTL_ADD, links[i].fd, &watch);
        drain_frames(&links[i]);
    }
    /* Handshakes: wait (at most 30 s) until every connection has joined `/` and heard `auth`. */
    int joined = 0;
    uint64_t give_up = now_ns() + 30000000000u;
    while (joined < connections && now_ns() < give_up) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, 100);
        for (int i = 0; i < ready; i++) {
            if (pump(events[i].data.ptr) < 0) {
                fprintf(stderr, "connection closed during the handshake\n");
                return 1;
            }
        }
        joined = 0;
        for (int i = 0; i < connections; i++) joined += links[i].connected;
    }
    if (joined < connections) {
        fprintf(stderr, "only %d of %d connections joined\n", joined, connections);
        return 1;
    }
    /* Tells a caller sampling the server's CPU time that the measured part starts now. */
    printf("measuring\n");
    fflush(stdout);
    long handshake_errors = errors;
    errors = 0;
    double cpu_start = cpu_seconds();
    uint64_t start = now_ns();
    uint64_t end = start + (uint64_t)(duration * 1e9);
    for (int i = 0; i < connections; i++)
        for (int k = 0; k < in_flight; k++) send_event(&links[i]);
    long messages = 0;
    int closed = 0;
    while (now_ns() < end) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, 100);
        for (int i = 0; i < ready; i++) {
            struct link *link = events[i].data.ptr;
            int echoes = pump(link);
            if (echoes < 0) {
                closed++;
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, link->fd, NULL);
                continue;
            }
            messages += echoes;
            for (int k = 0; k < echoes; k++) send_event(link);
        }
    }
    double elapsed = (double)(now_ns() - start) / 1e9;
    double cpu = cpu_seconds() - cpu_start;
    printf("{\"connections\": %d, \"in_flight\": %d, \"messages\": %ld, \"seconds\": %.3f, "
           "\"messages_per_second\": %.0f, \"round_trip\": {\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f}, "
           "\"errors\": %ld, \"handshake_errors\": %ld, \"closed\": %d, \"client_cpu_seconds\": %.3f}\n",
           connections, in_flight, messages, elapsed, (double)messages / elapsed, percentile(0.5, messages),
           percentile(0.99, messages), percentile(1.0, messages), errors, handshake_errors, closed, cpu);
    for (int i = 0; i < connections; i++) close(links[i].fd);
    return 0;
}

/*
 * The loopback floor for `bench_echo.py floor`: the cheapest possible echo over TCP on this
 * machine, to put Persona's numbers next to what the kernel alone allows.
 *
 * No WebSocket, no framing, no allocation: the server echoes whatever it reads, the client keeps
 * one message of SIZE bytes in flight on each connection and counts round trips. Both use
 * edge-triggered epoll with recv/send, one thread each, as `persona serve` and `persona bench
 * echo` do. Whatever this reaches is an upper bound for any server on the same loopback.
 *
 *   cc -O2 -o floor loopback_floor.c
 *   ./floor server PORT
 *   ./floor client PORT CONNECTIONS SECONDS [SIZE]     prints {"messages_per_second": ...}
 *   ./floor wsclient PORT CONNECTIONS SECONDS          the same load as WebSocket, against /v1/echo
 *
 * SIZE defaults to 38 bytes: a 32-byte payload in a masked WebSocket frame.
 *
 * `wsclient` opens each connection with the WebSocket handshake on /v1/echo, then keeps one
 * masked 32-byte binary frame in flight and counts the 34-byte unmasked echoes. Run against
 * `persona serve`, it measures the server alone, with a client that costs almost nothing.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "loopback_dial.h"

enum { MAX_EVENTS = 4096, BUFFER = 65536 };

static double seconds_now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Echoes on `port` until killed. */
static _Noreturn void serve(int port) {
    static char buffer[BUFFER];
    struct epoll_event events[MAX_EVENTS];
    int one = 1;
    int listener = listen_loopback(port);
    int epoll_fd = epoll_create1(0);
    watch(epoll_fd, listener, EPOLLIN);
    printf("listening\n");
    fflush(stdout);
    for (;;) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, -1);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            if (fd == listener) {
                int connection;
                while ((connection = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(connection, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    watch(epoll_fd, connection, EPOLLIN | EPOLLET);
                }
                continue;
            }
            for (;;) {
                ssize_t count = recv(fd, buffer, sizeof buffer, 0);
                if (count > 0) {
                    send(fd, buffer, (size_t)count, MSG_NOSIGNAL);
                    if (count < (ssize_t)sizeof buffer) break;
                } else {
                    if (count == 0 || (errno != EAGAIN && errno != EINTR)) close(fd);
                    break;
                }
            }
        }
    }
}

/* Sends the opening handshake and reads the response up to its blank line. */
static void upgrade(int fd) {
    static const char request[] =
        "GET /v1/echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    char response[1024];
    size_t have = 0;
    send(fd, request, sizeof request - 1, MSG_NOSIGNAL);
    while (have < sizeof response - 1) {
        ssize_t count = recv(fd, response + have, sizeof response - 1 - have, 0);
        if (count <= 0) break;
        have += (size_t)count;
        response[have] = 0;
        if (strstr(response, "\r\n\r\n")) {
            if (strncmp(response, "HTTP/1.1 101", 12) == 0) return;
            break;
        }
    }
    fprintf(stderr, "handshake failed: %.*s\n", (int)have, response);
    exit(1);
}

static int load(int port, int connections, double duration, int size, int websocket) {
    static char buffer[BUFFER];
    struct epoll_event events[MAX_EVENTS];
    char *message = malloc((size_t)size);
    int *received = calloc((size_t)connections + 1024, sizeof(int));
    int *sockets = malloc(sizeof(int) * (size_t)connections);
    memset(message, 'x', (size_t)size);
    /* A WebSocket echo comes back unmasked: 4 bytes shorter than the masked frame sent. */
    int reply = size;
    if (websocket) {
        static const unsigned char header[6] = {0x82, 0x80 | 32, 1, 2, 3, 4};
        size = 38;
        reply = 34;
        message = realloc(message, (size_t)size);
        memcpy(message, header, sizeof header);
        memset(message + sizeof header, 'x', 32);
    }
    int epoll_fd = epoll_create1(0);
    for (int i = 0; i < connections; i++) {
        int fd = dial(i, port);
        if (websocket) upgrade(fd);
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
        watch(epoll_fd, fd, EPOLLIN | EPOLLET);
        sockets[i] = fd;
    }
    for (int i = 0; i < connections; i++) send(sockets[i], message, (size_t)size, MSG_NOSIGNAL);
    long messages = 0;
    double start = seconds_now();
    double end = start + duration;
    while (seconds_now() < end) {
        int ready = epoll_wait(epoll_fd, events, MAX_EVENTS, 100);
        for (int i = 0; i < ready; i++) {
            int fd = events[i].data.fd;
            for (;;) {
                ssize_t count = recv(fd, buffer, sizeof buffer, 0);
                if (count <= 0) break;
                received[fd] += (int)count;
                while (received[fd] >= reply) {
                    received[fd] -= reply;
                    messages++;
                    send(fd, message, (size_t)size, MSG_NOSIGNAL);
                }
                if (count < (ssize_t)sizeof buffer) break;
            }
        }
    }
    double elapsed = seconds_now() - start;
    printf("{\"connections\": %d, \"messages\": %ld, \"seconds\": %.3f, \"messages_per_second\": %.0f}\n",
           connections, messages, elapsed, (double)messages / elapsed);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 3 && strcmp(argv[1], "server") == 0) serve(atoi(argv[2]));
    if (argc >= 5 && strcmp(argv[1], "client") == 0)
        return load(atoi(argv[2]), atoi(argv[3]), atof(argv[4]), argc > 5 ? atoi(argv[5]) : 38, 0);
    if (argc >= 5 && strcmp(argv[1], "wsclient") == 0)
        return load(atoi(argv[2]), atoi(argv[3]), atof(argv[4]), 38, 1);
    fprintf(stderr,
            "usage: %s server PORT | client PORT CONNECTIONS SECONDS [SIZE]"
            " | wsclient PORT CONNECTIONS SECONDS\n",
            argv[0]);
    return 64;
}

/*
 * Shared by the C programs next to it (loopback_floor.c, socketio_floor.c, socketio_load.c):
 * loopback addresses, a blocking connect from one of LOOPBACK_SOURCES source addresses
 * (127.0.0.10, .11, ...), so that many connections do not exhaust one source's ports, and the
 * floors' listener and epoll registration.
 */
#ifndef PERSONA_LOOPBACK_DIAL_H
#define PERSONA_LOOPBACK_DIAL_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>

enum { LOOPBACK_SOURCES = 4 };

static inline struct sockaddr_in loopback(int last_octet, int port) {
    struct sockaddr_in address = {0};
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    address.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)last_octet);
    return address;
}

/* Connects connection `index` as one blocking socket to 127.0.0.1:`port`, with TCP_NODELAY. */
static inline int dial(int index, int port) {
    int one = 1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in source = loopback(10 + index % LOOPBACK_SOURCES, 0);
    struct sockaddr_in server = loopback(1, port);
    if (bind(fd, (struct sockaddr *)&source, sizeof source) != 0 ||
        connect(fd, (struct sockaddr *)&server, sizeof server) != 0) {
        perror("connect");
        exit(1);
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

/* A non-blocking listener on 127.0.0.1:`port` (SO_REUSEADDR, backlog 4096); exits on failure. */
static inline int listen_loopback(int port) {
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = loopback(1, port);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 4096) != 0) {
        perror("listen");
        exit(1);
    }
    return listener;
}

/* Adds `fd` to `epoll_fd` for `events`; exits on failure. */
static inline void watch(int epoll_fd, int fd, uint32_t events) {
    struct epoll_event event = {.events = events, .data.fd = fd};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) {
        perror("epoll_ctl");
        exit(1);
    }
}

#endif

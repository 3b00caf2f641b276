// The loopback ceiling of this machine for bench/run.sh: a minimal single-threaded epoll HTTP responder (fixed
// 1 KB answer, keep-alive, no parsing beyond counting request ends; not tuned for pipelining). Whatever wrk reaches
// against it is the most any server can show in that setup; ours is compared with it in the README. Not part of the
// product.
#define _GNU_SOURCE
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char** argv) {
  int port = argc > 1 ? atoi(argv[1]) : 18499;
  signal(SIGPIPE, SIG_IGN);  // wrk closing its connections must not end the run
  int one = 1;
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
  if (bind(listener, (struct sockaddr*)&addr, sizeof addr) != 0 || listen(listener, 512) != 0) return 1;
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = listener};
  epoll_ctl(ep, EPOLL_CTL_ADD, listener, &ev);

  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
  static char response[sizeof head + 1000];
  size_t response_len = sizeof head - 1 + 1000;
  memcpy(response, head, sizeof head - 1);
  memset(response + sizeof head - 1, 'x', 1000);

  static char buf[65536];
  static char out[16 * sizeof response];
  struct epoll_event events[64];
  for (;;) {
    int n = epoll_wait(ep, events, 64, -1);
    for (int i = 0; i < n; i++) {
      int fd = events[i].data.fd;
      if (fd == listener) {
        int c;
        while ((c = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
        }
        continue;
      }
      ssize_t r = read(fd, buf, sizeof buf);
      if (r <= 0) {
        close(fd);
        continue;
      }
      int requests = 0;
      for (ssize_t j = 0; j + 3 < r; j++) requests += memcmp(buf + j, "\r\n\r\n", 4) == 0;
      size_t len = 0;
      for (int k = 0; k < requests && k < 16; k++, len += response_len) memcpy(out + len, response, response_len);
      if (write(fd, out, len) < 0) close(fd);
    }
  }
}

/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_events.c - src/events.c against a scripted port.
 *
 * The port of gpiod_backend.h (libgpiod talking to the kernel) is replaced
 * by a script below: events pushed with chosen kernel timestamps, one byte in
 * a pipe per pending event as the request's fd; chip.c, which hands the
 * port to the events, by the two entry points that attach them. Everything
 * else is the library's own: software debounce (the rule of the kernel's
 * debouncer: report a change once the line has kept its new level for the
 * period, with its last edge's timestamp), edge filtering, sequence numbers,
 * timeouts, cancel, and the refusals of unwatching under a reader. Real events from a
 * real kernel are tested in the emulated Pi (tests/vpi/guest/test_vpi_events.py).
 */
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"
#include "gpiod_backend.h"

/* ---- the scripted port ---- */
#define NL 4
#define MAXEV 64

struct fgpio_gpiod_port {
	int pipe[NL][2];
	struct fgpio_gpiod_line line[NL];	/* the port's record, as gpiod_lines.c keeps it */
	int bias[NL];			/* bias asked for by the last watch */
	int edge[NL];
	unsigned debounce[NL];
	int level[NL];
	struct fgpio_event q[NL][MAXEV];
	int head[NL], tail[NL];
	int kernel_debounce;
};

static struct fgpio_gpiod_port port;

static void push(unsigned line, int edge, uint64_t ts)
{
	port.q[line][port.tail[line]++ % MAXEV] = (struct fgpio_event){ .timestamp_ns = ts, .edge = edge };
	if (write(port.pipe[line][1], "e", 1) != 1)
		abort();
}

int fgpio_gpiod_port_watch(struct fgpio_gpiod_port *p, unsigned off, int edge, int bias,
			   unsigned debounce_us)
{
	p->line[off].held = p->line[off].watched = 1;
	p->bias[off] = bias;
	p->edge[off] = edge;
	p->debounce[off] = debounce_us;
	return p->pipe[off][0];
}

int fgpio_gpiod_port_kernel_debounce(void)
{
	return port.kernel_debounce;
}

void fgpio_gpiod_port_release(struct fgpio_gpiod_port *p, unsigned off)
{
	char buf[MAXEV];

	p->line[off].held = p->line[off].watched = 0;
	while (read(p->pipe[off][0], buf, sizeof(buf)) > 0)
		;
	p->head[off] = p->tail[off];
}

int fgpio_gpiod_port_event(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_event *ev)
{
	char b;

	if (read(p->pipe[off][0], &b, 1) != 1)
		return 0;
	*ev = p->q[off][p->head[off]++ % MAXEV];
	return 1;
}

int fgpio_gpiod_port_get(struct fgpio_gpiod_port *p, unsigned off)
{
	return p->level[off];
}

int fgpio_gpiod_port_info(struct fgpio_gpiod_port *p, unsigned off, struct fgpio_gpiod_lineinfo *li)
{
	(void)p;
	memset(li, 0, sizeof(*li));
	li->used = off == 3;	/* line 3 is held by someone else */
	if (li->used)
		snprintf(li->consumer, sizeof(li->consumer), "led0");
	return 0;
}

void fgpio_gpiod_port_close(struct fgpio_gpiod_port *p)
{
	(void)p;
}

const struct fgpio_gpiod_line *fgpio_gpiod_port_line(struct fgpio_gpiod_port *p, unsigned off)
{
	return &p->line[off];
}

/* ---- chip.c's entry points, attaching the events over the scripted port as it does ---- */
int fgpio_chip_watch(struct fgpio_chip *c, unsigned line, int edge, unsigned debounce_us)
{
	int fd;

	if (fgpio_events_check_watch(c, line, edge))
		return -1;
	fgpio_lock(c);
	fd = c->events || fgpio_events_attach(c, &port, 0) == 0 ?
	     fgpio_events_watch(c, line, edge, debounce_us) : -1;
	fgpio_unlock(c);
	return fd;
}

int fgpio_chip_line_owner(struct fgpio_chip *c, unsigned line, char *consumer, size_t len)
{
	int r;

	if (fgpio_events_check_owner(c, line, consumer, len))
		return -1;
	fgpio_lock(c);
	r = c->events || fgpio_events_attach(c, &port, 0) == 0 ?
	    fgpio_events_line_owner(c, line, consumer, len) : -1;
	fgpio_unlock(c);
	return r;
}

/* ---- helpers ---- */
static uint64_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define MS 1000000ull

static struct fgpio_chip *make_chip(void)
{
	static struct fgpio_soc soc;
	struct fgpio_chip *c = calloc(1, sizeof(*c));

	soc.name = "scripted";
	soc.nlines = NL;
	c->soc = &soc;
	pthread_mutex_init(&c->lock, NULL);
	for (unsigned i = 0; i < NL; i++)
		if (pipe2(port.pipe[i], O_CLOEXEC | O_NONBLOCK))
			abort();
	return c;
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static void *wait_forever(void *arg)
{
	struct fgpio_chip *c = arg;
	struct fgpio_event ev;
	static int r;

	r = fgpio_chip_event_read(c, 2, &ev, -1) == -1 && errno == ECANCELED;
	return &r;
}

int main(void)
{
	struct fgpio_chip *c = make_chip();
	struct fgpio_event ev;
	char who[16];

	/* Kernel debounce (libgpiod 2.x): the period goes to the port, events pass through. */
	port.kernel_debounce = 1;
	CHECK(fgpio_chip_watch(c, 0, FGPIO_EDGE_RISING, 5000) == port.pipe[0][0]);
	CHECK(port.edge[0] == FGPIO_EDGE_RISING && port.debounce[0] == 5000);
	CHECK(port.bias[0] == -1);	/* a line the port did not hold: bias as is */
	/* A re-watch keeps the bias the port set on the line (as set_pull on the gpiod backend). */
	port.line[0].bias = FGPIO_PULL_UP;
	CHECK(fgpio_chip_watch(c, 0, FGPIO_EDGE_RISING, 5000) == port.pipe[0][0]);
	CHECK(port.bias[0] == FGPIO_PULL_UP);
	push(0, FGPIO_EDGE_RISING, 111);
	push(0, FGPIO_EDGE_RISING, 222);
	memset(&ev, 0xA5, sizeof(ev));	/* the reserved words come back zeroed */
	CHECK(fgpio_chip_event_read(c, 0, &ev, 0) == 1);
	CHECK(ev.timestamp_ns == 111 && ev.seqno == 1 && ev.line == 0 && ev.edge == FGPIO_EDGE_RISING);
	CHECK(ev.reserved[0] == 0 && ev.reserved[1] == 0);
	CHECK(fgpio_chip_event_read(c, 0, &ev, 0) == 1 && ev.timestamp_ns == 222 && ev.seqno == 2);
	uint64_t t0 = now();

	CHECK(fgpio_chip_event_read(c, 0, &ev, 30 * MS) == 0);	/* timeout */
	CHECK(now() - t0 >= 30 * MS);
	CHECK(fgpio_chip_watching(c, 0) == 1);
	CHECK(fgpio_chip_unwatch(c, 0) == 0 && !port.line[0].watched);
	CHECK(fgpio_chip_watching(c, 0) == 0);
	CHECK_ERR(fgpio_chip_watching(c, NL + 1000), EINVAL);
	CHECK_ERR(fgpio_chip_event_read(c, 0, &ev, 0), ENOENT);

	/* Software debounce (libgpiod 1.x): the port is asked for both edges, no period. */
	port.kernel_debounce = 0;
	port.level[1] = 0;
	CHECK(fgpio_chip_watch(c, 1, FGPIO_EDGE_BOTH, 50000) >= 0);
	CHECK(port.edge[1] == FGPIO_EDGE_BOTH && port.debounce[1] == 0);
	uint64_t t = now();

	/* A bouncing press: three edges within 2 ms, settling high. */
	push(1, FGPIO_EDGE_RISING, t);
	push(1, FGPIO_EDGE_FALLING, t + 1 * MS);
	push(1, FGPIO_EDGE_RISING, t + 2 * MS);
	CHECK(fgpio_chip_event_read(c, 1, &ev, 0) == 1);
	CHECK(ev.edge == FGPIO_EDGE_RISING && ev.timestamp_ns == t + 2 * MS && ev.seqno == 1);
	CHECK(now() >= t + 52 * MS);	/* reported only once stable for the period */
	/* A glitch low and back within the period: no change, no event. */
	t = now();
	push(1, FGPIO_EDGE_FALLING, t);
	push(1, FGPIO_EDGE_RISING, t + 1 * MS);
	CHECK(fgpio_chip_event_read(c, 1, &ev, 0) == 0);
	/* Then a real release. */
	t = now();
	push(1, FGPIO_EDGE_FALLING, t);
	CHECK(fgpio_chip_event_read(c, 1, &ev, 200 * MS) == 1);
	CHECK(ev.edge == FGPIO_EDGE_FALLING && ev.timestamp_ns == t && ev.seqno == 2);
	/* Old events (timestamps long past) need no waiting. */
	t = now() - 1000 * MS;
	push(1, FGPIO_EDGE_RISING, t);
	t0 = now();
	CHECK(fgpio_chip_event_read(c, 1, &ev, 0) == 1 && ev.timestamp_ns == t);
	CHECK(now() - t0 < 40 * MS);

	/* Software debounce, rising only: falling changes are followed, not reported. */
	port.level[2] = 1;
	CHECK(fgpio_chip_watch(c, 2, FGPIO_EDGE_RISING, 1000) >= 0);
	CHECK(port.edge[2] == FGPIO_EDGE_BOTH);
	t = now() - 100 * MS;
	push(2, FGPIO_EDGE_FALLING, t);
	push(2, FGPIO_EDGE_RISING, t + 10 * MS);
	push(2, FGPIO_EDGE_FALLING, t + 20 * MS);
	CHECK(fgpio_chip_event_read(c, 2, &ev, 0) == 1);
	CHECK(ev.edge == FGPIO_EDGE_RISING && ev.timestamp_ns == t + 10 * MS && ev.seqno == 1);
	CHECK(fgpio_chip_event_read(c, 2, &ev, 0) == 0);

	/*
	 * A signal handler (no SA_RESTART) ends a wait with EINTR, soon, and loses
	 * nothing: with software debounce an edge taken while its period ran is
	 * the first event of the next call.
	 */
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval at = { .it_value = { 0, 50 * 1000 } };

	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	t0 = now();
	CHECK(setitimer(ITIMER_REAL, &at, NULL) == 0);
	CHECK_ERR(fgpio_chip_event_read(c, 1, &ev, 5000 * MS), EINTR);
	CHECK(alarms == 1 && now() - t0 < 1000 * MS);
	t = now();
	push(1, FGPIO_EDGE_FALLING, t);		/* period 50 ms; the signal comes after 20 */
	at.it_value.tv_usec = 20 * 1000;
	CHECK(setitimer(ITIMER_REAL, &at, NULL) == 0);
	CHECK_ERR(fgpio_chip_event_read(c, 1, &ev, 5000 * MS), EINTR);
	CHECK(alarms == 2 && now() < t + 50 * MS);
	CHECK(fgpio_chip_event_read(c, 1, &ev, 200 * MS) == 1);
	CHECK(ev.edge == FGPIO_EDGE_FALLING && ev.timestamp_ns == t && ev.seqno == 4);
	CHECK(now() >= t + 50 * MS);		/* the period was still waited for */
	sa.sa_handler = SIG_DFL;
	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);

	/* A line someone else holds is refused with its name. */
	CHECK_ERR(fgpio_chip_watch(c, 3, FGPIO_EDGE_BOTH, 0), EBUSY);
	CHECK(strstr(fgpio_last_error(), "led0") != NULL);
	CHECK(fgpio_chip_watching(c, 3) == 0);
	CHECK(fgpio_chip_line_owner(c, 3, who, sizeof(who)) == 1 && strcmp(who, "led0") == 0);
	CHECK(fgpio_chip_line_owner(c, 2, who, sizeof(who)) == 0 && who[0] == 0);

	/* A reader blocked forever: unwatch and re-watch refuse; cancel wakes it. */
	pthread_t th;
	void *res;

	CHECK(pthread_create(&th, NULL, wait_forever, c) == 0);
	struct timespec pause = { 0, 100 * 1000000 };

	nanosleep(&pause, NULL);
	/*
	 * fork() under that reader: the child inherits its count and its locked
	 * per-line mutex, not the thread. After the library's fork reset the
	 * child unwatches, re-watches and reads the line; without it unwatch
	 * says EBUSY and the read hangs on the mutex (the alarm ends it).
	 */
	pid_t pid = fork();

	if (pid == 0) {
		alarm(5);
		fgpio_lock(c);	/* as chip.c's fork handler (not linked here) calls it */
		fgpio_events_forked(c);
		fgpio_unlock(c);
		int ok = fgpio_chip_unwatch(c, 2) == 0;

		ok = ok && fgpio_chip_watch(c, 2, FGPIO_EDGE_BOTH, 0) >= 0;
		ok = ok && fgpio_chip_event_read(c, 2, &ev, 0) == 0;
		_exit(ok ? 0 : 1);
	}
	int status = 0;

	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK_ERR(fgpio_chip_unwatch(c, 2), EBUSY);
	CHECK_ERR(fgpio_chip_watch(c, 2, FGPIO_EDGE_BOTH, 0), EBUSY);
	CHECK(fgpio_chip_watching(c, 2) == 1);	/* the refused re-watch kept the old one */
	CHECK(fgpio_chip_event_cancel(c) == 0);
	CHECK(pthread_join(th, &res) == 0 && *(int *)res == 1);
	CHECK_ERR(fgpio_chip_event_read(c, 1, &ev, -1), ECANCELED);	/* and later */
	CHECK(fgpio_chip_unwatch(c, 2) == 0);

	fgpio_events_detach(c);
	CHECK(c->events == NULL && !port.line[1].watched);
	pthread_mutex_destroy(&c->lock);
	free(c);
	printf("events: %d checks, %d failures\n", th_checks, th_failures);
	return th_failures != 0;
}

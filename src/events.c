/* SPDX-License-Identifier: MIT */
/*
 * src/events.c - edge events from the kernel's GPIO character device, on
 * every backend (see "Edge events" in include/fastgpio.h).
 *
 * The port (gpiod_backend.h) requests lines for events and hands out the
 * kernel's events without blocking. chip.c hands it over when it attaches
 * the events (fgpio_events_attach): the gpiod backend's own port, or one it
 * opened for an mmap chip's GPIO chip, which the events then own and close.
 * This file calls only the port and util.c. It waits (ppoll on the request's
 * fd and the chip's cancel eventfd, never holding the chip lock while
 * blocked), numbers events, and debounces in software where the port cannot
 * pass a debounce period to the kernel (libgpiod 1.x): an edge is reported
 * once the line has kept its new level for the period, with the timestamp of
 * its last edge, the same rule as the kernel's debouncer.
 *
 * Locking: the chip lock guards the watch table and every port call; a
 * per-watch mutex serialises readers of one line; `readers` (under the chip
 * lock) keeps a watch from being freed while a reader may use it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "gpiod_backend.h"

struct watch {
	int fd;			/* the request's fd (owned by the port) */
	int edge;		/* edges the caller asked for */
	int soft;		/* debounced here, not by the kernel */
	uint64_t debounce_ns;
	int level;		/* soft: last reported level */
	uint64_t seq;		/* events delivered */
	struct fgpio_event peek;	/* soft: an edge taken too early, read next */
	int has_peek;
	unsigned readers;	/* threads inside fgpio_chip_event_read (chip lock) */
	pthread_mutex_t rlock;	/* one reader at a time */
};

struct fgpio_events {
	struct fgpio_gpiod_port *port;
	int own_port;		/* handed over to close at detach (mmap backends); else the gpiod backend's */
	int cancel_fd;		/* eventfd, readable once cancelled */
	int cancelled;
	struct watch *w[FGPIO_MAX_LINES];
};

static int check_line(const struct fgpio_chip *c, unsigned line)
{
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (line >= c->soc->nlines || line >= FGPIO_MAX_LINES || c->line_bank[line] == 0xffff)
		return fgpio_fail(EINVAL, "line %u does not exist on this chip (lines 0-%u)", line,
				  c->soc->nlines - 1u);
	return 0;
}

int fgpio_events_check_watch(const struct fgpio_chip *c, unsigned line, int edge)
{
	if (check_line(c, line))
		return -1;
	if (edge < FGPIO_EDGE_RISING || edge > FGPIO_EDGE_BOTH)
		return fgpio_fail(EINVAL, "unknown edge %d (use rising, falling or both)", edge);
	return 0;
}

int fgpio_events_check_owner(const struct fgpio_chip *c, unsigned line, const char *consumer,
			     size_t len)
{
	if (check_line(c, line))
		return -1;
	if (!consumer && len)
		return fgpio_fail(EINVAL, "consumer buffer is NULL");
	return 0;
}

int fgpio_events_attach(struct fgpio_chip *c, struct fgpio_gpiod_port *port, int own_port)
{
	struct fgpio_events *e = calloc(1, sizeof(*e));
	int err = ENOMEM;

	if (!e) {
		fgpio_fail(ENOMEM, "out of memory");
		goto fail;
	}
	e->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (e->cancel_fd < 0) {
		err = errno;
		free(e);
		fgpio_fail(err, "cannot create an eventfd: %s", strerror(err));
		goto fail;
	}
	e->port = port;
	e->own_port = own_port;
	c->events = e;
	return 0;
fail:
	if (own_port)
		fgpio_gpiod_port_close(port);	/* handed over: closed as detach would */
	errno = err;
	return -1;
}

void fgpio_events_forked(struct fgpio_chip *c)
{
	struct fgpio_events *e = c->events;

	if (!e)
		return;
	for (unsigned i = 0; i < FGPIO_MAX_LINES; i++) {
		if (!e->w[i])
			continue;
		e->w[i]->readers = 0;
		/* Held by a reader blocked in another thread, that thread is gone: a fresh lock. */
		pthread_mutex_init(&e->w[i]->rlock, NULL);
	}
}

static void free_watch(struct fgpio_chip *c, unsigned line)
{
	struct fgpio_events *e = c->events;

	fgpio_gpiod_port_release(e->port, line);	/* the port records it as no longer held */
	pthread_mutex_destroy(&e->w[line]->rlock);
	free(e->w[line]);
	e->w[line] = NULL;
}

/* A new watch of @line, refused when another consumer holds it. */
static struct watch *new_watch(struct fgpio_events *e, unsigned line)
{
	struct fgpio_gpiod_lineinfo li;
	struct watch *w;

	if (fgpio_gpiod_port_info(e->port, line, &li))
		return NULL;
	if (li.used) {
		if (li.consumer[0])
			fgpio_fail(EBUSY, "line %u is held by \"%s\": release it there first", line,
				   li.consumer);
		else
			fgpio_fail(EBUSY, "line %u is held by the kernel (a driver or a peripheral "
				   "function owns it)", line);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w || pthread_mutex_init(&w->rlock, NULL)) {
		free(w);
		fgpio_fail(ENOMEM, "out of memory");
		return NULL;
	}
	e->w[line] = w;
	return w;
}

int fgpio_events_watch(struct fgpio_chip *c, unsigned line, int edge, unsigned debounce_us)
{
	struct fgpio_events *e = c->events;
	struct watch *w = e->w[line];

	if (w && w->readers)
		return fgpio_fail(EBUSY, "line %u: another thread is waiting for its events", line);
	if (!w && !(w = new_watch(e, line)))
		return -1;
	int soft = debounce_us && !fgpio_gpiod_port_kernel_debounce();

	/* Software debounce follows the level, so it needs both edges from the kernel. */
	int fd = fgpio_gpiod_port_watch(e->port, line, soft ? FGPIO_EDGE_BOTH : edge,
					fgpio_gpiod_port_bias(e->port, line), soft ? 0 : debounce_us);
	int level = fd >= 0 && soft ? fgpio_gpiod_port_get(e->port, line) : 0;

	if (fd < 0 || level < 0) {
		int err = errno;

		free_watch(c, line);	/* a failed re-request may have released the line */
		errno = err;
		return -1;
	}
	w->fd = fd;
	w->edge = edge;
	w->soft = soft;
	w->debounce_ns = (uint64_t)debounce_us * 1000u;
	w->level = level;
	w->seq = 0;
	w->has_peek = 0;
	return fd;
}

int fgpio_chip_watching(struct fgpio_chip *c, unsigned line)
{
	if (check_line(c, line))
		return -1;
	fgpio_lock(c);
	int r = c->events && c->events->w[line];

	fgpio_unlock(c);
	return r;
}

int fgpio_chip_unwatch(struct fgpio_chip *c, unsigned line)
{
	int r = 0;

	if (check_line(c, line))
		return -1;
	fgpio_lock(c);
	if (c->events && c->events->w[line]) {
		if (c->events->w[line]->readers)
			r = fgpio_fail(EBUSY, "line %u: another thread is waiting for its events", line);
		else
			free_watch(c, line);
	}
	fgpio_unlock(c);
	return r;
}

/*
 * One event from the kernel, waiting until @deadline (CLOCK_MONOTONIC ns;
 * UINT64_MAX forever; 0 or past: no wait). Returns 1, 0 or -1.
 */
static int take(struct fgpio_chip *c, struct watch *w, unsigned line, struct fgpio_event *ev,
		uint64_t deadline)
{
	struct fgpio_events *e = c->events;

	if (w->has_peek) {
		*ev = w->peek;
		w->has_peek = 0;
		return 1;
	}
	for (;;) {
		if (__atomic_load_n(&e->cancelled, __ATOMIC_ACQUIRE))
			return fgpio_fail(ECANCELED, "waiting for events was cancelled (the chip is closing)");
		fgpio_lock(c);
		int r = fgpio_gpiod_port_event(e->port, line, ev);

		fgpio_unlock(c);
		if (r)
			return r;
		struct pollfd pfd[2] = { { .fd = w->fd, .events = POLLIN },
					 { .fd = e->cancel_fd, .events = POLLIN } };
		struct timespec ts, *tp = NULL;

		if (deadline != UINT64_MAX) {
			uint64_t now = fgpio_now_ns(), left = deadline > now ? deadline - now : 0;

			ts.tv_sec = (time_t)(left / 1000000000u);
			ts.tv_nsec = (long)(left % 1000000000u);
			tp = &ts;
		}
		int p = ppoll(pfd, 2, tp, NULL);

		/* A signal handler ran: the caller decides (Python: Ctrl-C raises). */
		if (p < 0 && errno == EINTR)
			return fgpio_fail(EINTR, "waiting for events of line %u was interrupted by a signal",
					  line);
		if (p < 0)
			return fgpio_fail(errno, "cannot wait for events of line %u: %s", line,
					  strerror(errno));
		if (p == 0)
			return 0;
		if (p > 0 && (pfd[0].revents & (POLLERR | POLLNVAL)))
			return fgpio_fail(EIO, "the event file of line %u failed", line);
	}
}

static int read_locked(struct fgpio_chip *c, struct watch *w, unsigned line, struct fgpio_event *ev,
		       int64_t timeout_ns)
{
	uint64_t deadline = timeout_ns < 0 ? UINT64_MAX : fgpio_now_ns() + (uint64_t)timeout_ns;

	for (;;) {
		int r = take(c, w, line, ev, deadline);

		if (r <= 0)
			return r;
		if (w->soft) {
			struct fgpio_event next;

			/* Stable once no edge follows the last one within the period. */
			while ((r = take(c, w, line, &next, ev->timestamp_ns + w->debounce_ns)) == 1) {
				if (next.timestamp_ns >= ev->timestamp_ns + w->debounce_ns) {
					w->peek = next;	/* queued, but after the period: the next change */
					w->has_peek = 1;
					break;
				}
				*ev = next;
			}
			if (r < 0 && errno == EINTR) {
				/* keep the edge taken so far: the next call starts from it */
				w->peek = *ev;
				w->has_peek = 1;
			}
			if (r < 0)
				return r;
			int level = ev->edge == FGPIO_EDGE_RISING;

			if (level == w->level)
				continue;	/* a bounce that came back */
			w->level = level;
			if (!(w->edge & ev->edge))
				continue;	/* a change the caller did not ask for */
		}
		ev->line = line;
		ev->seqno = ++w->seq;
		memset(ev->reserved, 0, sizeof(ev->reserved));
		return 1;
	}
}

int fgpio_chip_event_read(struct fgpio_chip *c, unsigned line, struct fgpio_event *ev,
			  int64_t timeout_ns)
{
	if (check_line(c, line))
		return -1;
	if (!ev)
		return fgpio_fail(EINVAL, "event pointer is NULL");
	fgpio_lock(c);
	struct watch *w = c->events ? c->events->w[line] : NULL;

	if (w)
		w->readers++;
	fgpio_unlock(c);
	if (!w)
		return fgpio_fail(ENOENT, "line %u is not watched (call fgpio_chip_watch first)", line);
	pthread_mutex_lock(&w->rlock);
	int r = read_locked(c, w, line, ev, timeout_ns);
	int err = errno;

	pthread_mutex_unlock(&w->rlock);
	fgpio_lock(c);
	w->readers--;
	fgpio_unlock(c);
	errno = err;
	return r;
}

int fgpio_chip_event_cancel(struct fgpio_chip *c)
{
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	fgpio_lock(c);
	struct fgpio_events *e = c->events;

	if (e) {
		uint64_t one = 1;

		__atomic_store_n(&e->cancelled, 1, __ATOMIC_RELEASE);
		if (write(e->cancel_fd, &one, sizeof(one)) < 0 && errno != EAGAIN) {
			fgpio_unlock(c);
			return fgpio_fail(errno, "cannot wake the waiting threads: %s", strerror(errno));
		}
	}
	fgpio_unlock(c);
	return 0;
}

int fgpio_events_line_owner(struct fgpio_chip *c, unsigned line, char *consumer, size_t len)
{
	struct fgpio_gpiod_lineinfo li;

	if (fgpio_gpiod_port_info(c->events->port, line, &li))
		return -1;
	if (len)
		snprintf(consumer, len, "%s", li.used ? li.consumer : "");
	return li.used;
}

void fgpio_events_detach(struct fgpio_chip *c)
{
	struct fgpio_events *e = c->events;

	if (!e)
		return;
	for (unsigned i = 0; i < FGPIO_MAX_LINES; i++)
		if (e->w[i])
			free_watch(c, i);
	if (e->own_port)
		fgpio_gpiod_port_close(e->port);
	close(e->cancel_fd);
	free(e);
	c->events = NULL;
}

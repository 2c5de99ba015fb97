/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/wave.c - Chip._wave and Chip._bank_sample_into over
 * src/wave.c: buffer checks, and the worker thread a wave runs on. GIL released.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "core.h"

/*
 * Item size (1 or 4) of a buffer of raw bytes (format B, b or c) or of
 * 32-bit unsigned words in host order (I or L of size 4, with no prefix or
 * '@', '=' or the host's '<'/'>'), else 0: an int32, int64 or float array
 * would otherwise be taken as garbage steps of the right length.
 */
static int buffer_kind(const Py_buffer *view)
{
	const char *f = view->format ? view->format : "B";
	const unsigned one = 1;
	char host = *(const unsigned char *)&one ? '<' : '>';

	if (*f == '@' || *f == '=' || *f == host || (*f == '!' && host == '>'))
		f++;
	if (view->itemsize == 1 && (strcmp(f, "B") == 0 || strcmp(f, "b") == 0 || strcmp(f, "c") == 0))
		return 1;
	if (view->itemsize == 4 && (strcmp(f, "I") == 0 || strcmp(f, "L") == 0))
		return 4;
	return 0;
}

/*
 * Exports @obj as a C-contiguous buffer of bytes or uint32 words (format,
 * shape and strides filled in); *kind receives buffer_kind(). TypeError for
 * a non-buffer or another format, ValueError for a non-contiguous buffer,
 * BufferError for a read-only one when @writable.
 */
static int words_buffer(PyObject *obj, Py_buffer *view, int writable, const char *what, int *kind)
{
	if (PyObject_GetBuffer(obj, view, writable ? PyBUF_RECORDS : PyBUF_RECORDS_RO) < 0)
		return -1;
	*kind = buffer_kind(view);
	if (!*kind) {
		PyErr_Format(PyExc_TypeError, "%s must be bytes or a buffer of uint32 (format 'I'), not "
			     "format '%s' with %zd-byte items", what, view->format ? view->format : "B",
			     view->itemsize);
	} else if (!PyBuffer_IsContiguous(view, 'C')) {
		PyErr_Format(PyExc_ValueError, "%s must be a C-contiguous buffer (e.g. "
			     "numpy.ascontiguousarray)", what);
	} else {
		return 0;
	}
	PyBuffer_Release(view);
	return -1;
}

/* view->shape as a tuple, for messages (None when there is none). */
static PyObject *shape_of(const Py_buffer *view)
{
	if (!view->shape && view->ndim != 0)
		Py_RETURN_NONE;
	PyObject *t = PyTuple_New(view->ndim);

	for (int i = 0; t && i < view->ndim; i++) {
		PyObject *n = PyLong_FromSsize_t(view->shape[i]);

		if (!n)
			Py_CLEAR(t);
		else
			PyTuple_SET_ITEM(t, i, n);
	}
	return t;
}

/*
 * The shapes Chip.wave documents: bytes of 12*k, a 1-D uint32 buffer of 3*k
 * items, or a 2-D (n, 3) uint32 array. Anything else - (3, n), (n, 4), a 2-D
 * or 3-D byte array - would play words as masks of lines nobody named.
 */
static int steps_shape_ok(const Py_buffer *view, int kind)
{
	int ok;

	if (kind == 1)
		ok = view->ndim == 1 && view->len % (Py_ssize_t)sizeof(struct fgpio_wave_step) == 0;
	else if (view->ndim == 1)
		ok = view->shape[0] % 3 == 0;
	else
		ok = view->ndim == 2 && view->shape[1] == 3;
	if (ok)
		return 1;
	PyObject *shape = shape_of(view);

	if (!shape)
		return 0;
	if (kind == 1 && view->ndim == 1)
		PyErr_Format(PyExc_ValueError, "steps buffer is %zd bytes, not a whole number of "
			     "12-byte (set, clear, delay_ns) records", view->len);
	else if (kind == 1)
		PyErr_Format(PyExc_ValueError, "steps of bytes must be a 1-D buffer, not of shape %R "
			     "(use a uint32 array of shape (n, 3) for a 2-D one)", shape);
	else
		PyErr_Format(PyExc_ValueError, "steps of uint32 must be 1-D with 3*k items or of shape "
			     "(n, 3) (set_mask, clear_mask, delay_ns), not of shape %R", shape);
	Py_DECREF(shape);
	return 0;
}

/*
 * A wave longer than this (by its delays, and 1 µs per step as a slow SoC's
 * guess) plays in a worker thread while the calling thread waits and runs
 * Python's signal handlers, so Ctrl-C ends it; a shorter one plays in the
 * calling thread and a signal is handled when it returns.
 */
#define WAVE_INLINE_MAX_NS 20000000ull
/* How often the waiting thread looks for a signal handled by another thread. */
#define WAVE_SIGNAL_POLL_MS 20

/* Estimated run time of @n steps played @repeat times, saturating above the threshold. */
static int wave_is_long(const struct fgpio_wave_step *steps, size_t n, unsigned repeat)
{
	uint64_t pass = 0;

	if (!n || !repeat)
		return 0;
	for (size_t i = 0; i < n; i++) {
		pass += steps[i].delay_ns + 1000u;
		if (pass > WAVE_INLINE_MAX_NS)
			return 1;
	}
	return pass * repeat > WAVE_INLINE_MAX_NS;
}

/* One wave handed to a worker thread. */
struct wave_job {
	ChipObject *self;
	struct fgpio_chip *c;
	unsigned bank;
	const struct fgpio_wave_step *steps;
	size_t n;
	unsigned repeat;
	struct fgpio_wave_opts o;
	struct fgpio_wave_stats st;
	int r, err;
	char msg[512];		/* the worker's fgpio_last_error() */
	int done_fd;		/* eventfd: written when the run has left the chip */
	pthread_mutex_t m;	/* guards done against a cancel racing the run's end */
	int done;
};

static void *wave_worker(void *arg)
{
	struct wave_job *j = arg;

	j->r = fgpio_chip_wave_play(j->c, j->bank, j->steps, j->n, j->repeat, &j->o, &j->st);
	if (j->r) {
		j->err = errno;
		snprintf(j->msg, sizeof(j->msg), "%s", fgpio_last_error());
	}
	pthread_mutex_lock(&j->m);
	j->done = 1;
	chip_leave(j->self);
	pthread_mutex_unlock(&j->m);
	uint64_t one = 1;

	if (write(j->done_fd, &one, sizeof(one)) < 0)
		abort();	/* an eventfd write of 1 cannot fail */
	return NULL;
}

/*
 * Plays @j on a worker thread that blocks every signal, so a process signal
 * interrupts this thread's wait (or another thread's) and Python's handler
 * runs here, in this thread with the GIL. When it raises (KeyboardInterrupt)
 * the wave is cancelled and waited for, and -1 is returned with the
 * exception set. The chip was entered by the caller; the worker leaves it.
 * 1: no worker could be started (nothing done, the caller plays inline).
 */
static int wave_in_worker(struct wave_job *j)
{
	pthread_t th;
	sigset_t all, old;

	j->done_fd = eventfd(0, EFD_CLOEXEC);
	if (j->done_fd < 0)
		return 1;
	if (pthread_mutex_init(&j->m, NULL)) {
		close(j->done_fd);
		return 1;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int e = pthread_create(&th, NULL, wave_worker, j);

	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (e) {
		pthread_mutex_destroy(&j->m);
		close(j->done_fd);
		return 1;
	}
	int interrupted = 0;

	for (;;) {
		struct pollfd p = { .fd = j->done_fd, .events = POLLIN };
		int k;

		Py_BEGIN_ALLOW_THREADS
		k = poll(&p, 1, WAVE_SIGNAL_POLL_MS);
		Py_END_ALLOW_THREADS
		if (k > 0)
			break;
		if (!interrupted && PyErr_CheckSignals() < 0)
			interrupted = 1;
		if (!interrupted)
			continue;
		/*
		 * Cancelled on every round until the worker is done: a cancel reaches
		 * only a wave already playing, and a loaded machine can start the
		 * worker's wave after the first one.
		 */
		pthread_mutex_lock(&j->m);
		if (!j->done)	/* still counted in busy: the chip cannot be freed yet */
			(void)fgpio_chip_wave_cancel(j->c);
		pthread_mutex_unlock(&j->m);
	}
	Py_BEGIN_ALLOW_THREADS
	pthread_join(th, NULL);
	Py_END_ALLOW_THREADS
	pthread_mutex_destroy(&j->m);
	close(j->done_fd);
	return interrupted ? -1 : 0;
}

/*
 * _wave(bank, steps, repeat, cpu, fifo_priority, spin_ns, catch_up) -> tuple of stats.
 * steps: a C-contiguous buffer of packed 12-byte (set, clear, delay_ns)
 * uint32 records in one of the shapes steps_shape_ok() takes. The buffer
 * stays exported (cannot be resized) during the run.
 */
/* _wave's options: cpu, fifo_priority, spin_ns (None: 0), catch_up (a truth). -1 with an exception. */
static int wave_opts_args(PyObject *const *args, struct fgpio_wave_opts *o)
{
	uint32_t spin = 0;

	fgpio_wave_opts_init(o);
	if (opt_int_arg(args[0], "cpu", -1, 0, 65535, &o->cpu) ||
	    opt_int_arg(args[1], "fifo_priority", 0, 1, 99, &o->fifo_priority) ||
	    (args[2] != Py_None && u32_arg(args[2], "spin_ns", &spin)))
		return -1;
	o->spin_ns = spin;
	int catch_up = PyObject_IsTrue(args[3]);

	if (catch_up < 0)
		return -1;
	if (!catch_up)
		o->flags |= FGPIO_WAVE_NO_CATCH_UP;
	return 0;
}

/* The run's result as _wave returns it. */
static PyObject *wave_stats_tuple(const struct fgpio_wave_stats *st)
{
	return Py_BuildValue("(KKKKKKiiiii)", (unsigned long long)st->steps,
			     (unsigned long long)st->elapsed_ns, (unsigned long long)st->timed_edges,
			     (unsigned long long)st->late_p50_ns, (unsigned long long)st->late_p99_ns,
			     (unsigned long long)st->late_max_ns, st->cpu_pinned, st->fifo_applied, st->cpu,
			     st->readback, st->cancelled);
}

PyObject *chip_wave(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned bank;
	uint32_t repeat;
	struct fgpio_wave_opts o;
	Py_buffer view;

	if (!nargs_ok("_wave", nargs, 7))
		return NULL;
	if (chip_closed(self) || small_arg(args[0], "bank", &bank) ||
	    u32_arg(args[2], "repeat", &repeat) || wave_opts_args(args + 3, &o))
		return NULL;
	int kind;

	if (words_buffer(args[1], &view, 0, "steps", &kind) < 0)
		return NULL;
	if (!steps_shape_ok(&view, kind)) {
		PyBuffer_Release(&view);
		return NULL;
	}
	size_t n = (size_t)view.len / sizeof(struct fgpio_wave_step);
	const struct fgpio_wave_step *steps = view.buf;
	void *copy = NULL;

	if ((uintptr_t)view.buf % _Alignof(struct fgpio_wave_step)) {
		/* e.g. a memoryview sliced at an odd offset: copy to aligned memory. */
		copy = PyMem_RawMalloc(view.len ? (size_t)view.len : 1);
		if (!copy) {
			PyBuffer_Release(&view);
			return PyErr_NoMemory();
		}
		memcpy(copy, view.buf, (size_t)view.len);
		steps = copy;
	}
	/* The view stays exported (its owner cannot resize it) until the run has ended. */
	struct wave_job j;

	memset(&j, 0, sizeof(j));
	j.self = self;
	j.bank = bank;
	j.steps = steps;
	j.n = n;
	j.repeat = repeat;
	j.o = o;
	j.c = chip_enter(self);
	int w = 1;

	if (j.c && wave_is_long(steps, n, repeat))
		w = wave_in_worker(&j);
	if (j.c && w == 1) {
		Py_BEGIN_ALLOW_THREADS
		j.r = fgpio_chip_wave_play(j.c, bank, steps, n, repeat, &o, &j.st);
		if (j.r) {
			j.err = errno;
			snprintf(j.msg, sizeof(j.msg), "%s", fgpio_last_error());
		}
		chip_leave(self);
		Py_END_ALLOW_THREADS
		w = 0;
	}
	PyMem_RawFree(copy);
	PyBuffer_Release(&view);
	if (!j.c || w < 0)
		return NULL;	/* closed, or the signal handler's exception (the wave was cancelled) */
	if (j.r)
		return raise_errno_msg(Py_TYPE(self), j.err, j.msg);
	return wave_stats_tuple(&j.st);
}

/* _bank_sample_into(bank, buffer) -> elapsed_ns: fills a writable buffer of uint32 samples. */
PyObject *chip_bank_sample_into(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned bank;
	Py_buffer view;

	if (!nargs_ok("_bank_sample_into", nargs, 2))
		return NULL;
	if (chip_closed(self) || small_arg(args[0], "bank", &bank))
		return NULL;
	int kind;

	if (words_buffer(args[1], &view, 1, "sample buffer", &kind) < 0)
		return NULL;
	if (view.len % 4 || (view.len && (uintptr_t)view.buf % 4)) {
		PyErr_SetString(PyExc_ValueError, "sample buffer must be 4-byte aligned whole uint32 words");
		PyBuffer_Release(&view);
		return NULL;
	}
	uint64_t ns = 0;
	int r, err = 0;
	struct fgpio_chip *c = chip_enter(self);

	if (!c) {
		PyBuffer_Release(&view);
		return NULL;
	}
	Py_BEGIN_ALLOW_THREADS
	r = fgpio_chip_bank_sample(c, bank, view.buf, (size_t)view.len / 4, &ns);
	if (r)
		err = errno;
	chip_leave(self);
	Py_END_ALLOW_THREADS
	PyBuffer_Release(&view);
	if (r)
		return raise_errno(Py_TYPE(self), err);
	return PyLong_FromUnsignedLongLong(ns);
}

/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/core.h - what the files of fastgpio._core share: the
 * module state, the Chip and Pin object layouts, the argument conversions
 * (args.c), the errno -> exception mapping (module.c) and the type specs
 * module.c registers. Private to the extension; every symbol is hidden.
 */
#ifndef FASTGPIO_EXT_CORE_H
#define FASTGPIO_EXT_CORE_H

#include <errno.h>
#include <pthread.h>
#include <stdint.h>

#include "fastgpio.h"

struct module_state {
	PyObject *chip_type;
	PyObject *pin_type;
	PyObject *unsupported_soc_error;	/* UnsupportedSoCError(OSError): ENODEV */
	PyObject *not_supported_error;		/* NotSupportedError(OSError): ENOTSUP */
	PyObject *closed_error;			/* ChipClosedError(ValueError) */
	PyObject *busy_error;			/* LineBusyError(OSError): EBUSY */
};

/* ---- module.c ---- */

/* The module state of the module that created @tp, or NULL. */
struct module_state *state_of_type(PyTypeObject *tp);
/*
 * Raises the exception matching errno @err with message @msg (raise_errno:
 * libfastgpio's last message). Bad arguments are ValueError; missing
 * permission PermissionError; unknown hardware UnsupportedSoCError;
 * impossible on this SoC NotSupportedError; a line held elsewhere
 * LineBusyError; everything else the OSError subclass for the errno.
 * Returns NULL.
 */
PyObject *raise_errno_msg(PyTypeObject *tp, int err, const char *msg);
PyObject *raise_errno(PyTypeObject *tp, int err);

/* ---- the Chip type (chip.c, wave.c) ---- */

/*
 * Closing: close() first takes the chip out of c (every call, pins
 * included, then raises ChipClosedError: nothing new starts), keeps it in
 * dying, cancels the waves and wakes the edge waiters in progress, waits
 * until no call holds the chip and only then unmaps.
 *
 * Which calls count themselves, and where:
 * - calls that use the chip without the GIL (waves, samples, edge waits) in
 *   busy, atomically (a wave's worker thread leaves without the GIL);
 * - in free-threaded builds (Py_GIL_DISABLED) every Chip method too (in busy,
 *   through chip_hold), and every Pin call in the pin's own counter
 *   (PinObject.busy), which close() finds through the chip's list of pins:
 *   pins used from different threads then write no shared word. With the
 *   GIL, a call that holds the GIL throughout cannot overlap close() and
 *   counts nothing.
 * A call first counts itself and then loads c (both sequentially
 * consistent); close() clears c and then reads the counts: either the call
 * sees NULL or close() sees the count.
 */
typedef struct PinObject PinObject;

typedef struct {
	PyObject_HEAD
	struct fgpio_chip *c;		/* NULL once close() has begun */
	struct fgpio_chip *dying;	/* the chip a close() in progress frees when no call holds it */
	unsigned nlines;
	unsigned busy;		/* counted calls in progress (see above) */
#ifdef Py_GIL_DISABLED
	pthread_mutex_t pins_lock;	/* guards pins (seen by ThreadSanitizer, unlike PyMutex) */
	PinObject *pins;	/* the live pins of this chip (PinObject.next) */
#endif
} ChipObject;

extern PyType_Spec chip_spec;
extern PyMethodDef chip_methods[];	/* for _own_methods */
extern PyGetSetDef chip_getset[];

/* Raises ChipClosedError for @self; returns 1. */
int chip_raise_closed(ChipObject *self);

/* 0 while @self is open; else 1 with ChipClosedError raised. */
static inline int chip_closed(ChipObject *self)
{
	return __atomic_load_n(&self->c, __ATOMIC_SEQ_CST) ? 0 : chip_raise_closed(self);
}

/* The chip, or NULL: closed or closing (atomic: close() may run in another thread). */
static inline struct fgpio_chip *chip_now(ChipObject *self)
{
	return __atomic_load_n(&self->c, __ATOMIC_SEQ_CST);
}

/* The end of a counted call (with or without the GIL): its last use of the chip. */
static inline void chip_leave(ChipObject *self)
{
	__atomic_sub_fetch(&self->busy, 1u, __ATOMIC_RELEASE);
}

/* Counts a call that is about to use the chip without the GIL; NULL (raised) once closing. */
static inline struct fgpio_chip *chip_enter(ChipObject *self)
{
	__atomic_add_fetch(&self->busy, 1u, __ATOMIC_SEQ_CST);
	struct fgpio_chip *c = chip_now(self);

	if (c)
		return c;
	chip_leave(self);
	chip_raise_closed(self);
	return NULL;
}

/*
 * The chip for a Chip method, NULL (raised) once closing; chip_release()
 * ends the use. Counted in free-threaded builds only: with the GIL held
 * from here to chip_release() no close() can run in between.
 */
#ifdef Py_GIL_DISABLED
static inline struct fgpio_chip *chip_hold(ChipObject *self)
{
	return chip_enter(self);
}

static inline void chip_release(ChipObject *self)
{
	chip_leave(self);
}
#else
static inline struct fgpio_chip *chip_hold(ChipObject *self)
{
	return chip_closed(self) ? NULL : self->c;
}

static inline void chip_release(ChipObject *self)
{
	(void)self;
}
#endif

/* Raises the exception for errno with libfastgpio's message; NULL. */
static inline PyObject *chip_fail(ChipObject *self)
{
	return raise_errno(Py_TYPE(self), errno);
}

/* wave.c: Chip._wave and Chip._bank_sample_into (METH_FASTCALL). */
PyObject *chip_wave(ChipObject *self, PyObject *const *args, Py_ssize_t nargs);
PyObject *chip_bank_sample_into(ChipObject *self, PyObject *const *args, Py_ssize_t nargs);

/* ---- the Pin type (pin.c) ---- */

struct PinObject {
	PyObject_HEAD
	ChipObject *chip;	/* strong reference: the chip outlives its pins */
	struct fgpio_line h;
#ifdef Py_GIL_DISABLED
	unsigned busy;		/* calls of this pin using the chip (see ChipObject) */
	PinObject *next;	/* in chip->pins, under chip->pins_lock */
	PinObject **pprev;
	/*
	 * Another thread's reference-count updates of this pin land in its
	 * header: without the padding, two pins allocated one after the other
	 * share a cache line, and two threads each using its own pin slow each
	 * other down (measured: 0.6x of one thread instead of 2x).
	 */
	char cacheline_pad[64];
#endif
};

extern PyType_Spec pin_spec;
extern PyMethodDef pin_methods[];	/* for _own_methods */
extern PyGetSetDef pin_getset[];
/* The ints 0 and 1 (pin_levels_init, at module setup). */
extern PyObject *pin_levels[2];
int pin_levels_init(void);

/*
 * close()'s wait for the pins' calls (free-threaded builds; a no-op with the
 * GIL): returns once no pin of @self is using @c. Called with c already cleared.
 */
void pins_wait_idle(ChipObject *self);
/* In a fork() child: forgets the calls of the parent's other threads. */
void pins_forked(ChipObject *self);

/* on(), off() and the value getter: also ChannelTable's one-access paths. */
PyObject *pin_on(PinObject *self, PyObject *unused);
PyObject *pin_off(PinObject *self, PyObject *unused);
PyObject *pin_get_value(PinObject *self, void *unused);

/* ---- channels.c, bench.c ---- */

extern PyType_Spec table_spec;
extern PyMethodDef bench_functions[];	/* module functions, added by module.c */

/* ---- args.c: conversions; each raises and returns -1 (or 0 for nargs_ok) ---- */

/* Positional-count check for METH_FASTCALL functions: 1 when @nargs == @want. */
int nargs_ok(const char *name, Py_ssize_t nargs, Py_ssize_t want);
/* An int or __index__ object, not bool. */
int is_index(PyObject *obj);
/* @obj's value; *overflow set when it does not fit a long long. */
int index_value(PyObject *obj, long long *v, int *overflow);
/* A level: bool, or an int 0/1 (incl. __index__ types); @what names it in errors. */
int level_arg(PyObject *obj, const char *what, int *out);
/* A line of @self's chip @c (held by the caller): a number or a pin name @c resolves. */
int line_arg(ChipObject *self, struct fgpio_chip *c, PyObject *obj, unsigned *line);
int u32_arg(PyObject *obj, const char *what, uint32_t *out);
int u64_arg(PyObject *obj, const char *what, uint64_t *out);
/* A small unsigned int (a bank number). */
int small_arg(PyObject *obj, const char *what, unsigned *out);
/* A C int that may be None (-> @none), within @lo..@hi. */
int opt_int_arg(PyObject *obj, const char *what, int none, int lo, int hi, int *out);

/* The enums: a name (any case) or the C value; the only conversion of each. */
int func_arg(PyObject *obj, int *out);
int pull_arg(PyObject *obj, int *out);
int edge_arg(PyObject *obj, int *edge);
/* An enum value's lower-case name, for the FUNC_*, PULL_*, EDGE_* constants. */
typedef const char *(*enum_name_fn)(int v);
const char *func_name_of(int v);
const char *pull_name_of(int v);
const char *edge_name_of(int v);

#endif /* FASTGPIO_EXT_CORE_H */

/*
 * fastgpio._core - the private CPython extension over libfastgpio.
 *
 * Thin by design: argument conversion, errno -> exception mapping, and a Pin
 * type whose on()/off()/value are single register accesses. The public
 * classes live in fastgpio/_chip.py and subclass these types.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "fastgpio.h"

struct module_state {
	PyObject *chip_type;
	PyObject *pin_type;
	PyObject *unsupported_soc_error;	/* UnsupportedSoCError(OSError): ENODEV */
	PyObject *not_supported_error;		/* NotSupportedError(OSError): ENOTSUP */
	PyObject *closed_error;			/* ChipClosedError(ValueError) */
	PyObject *busy_error;			/* LineBusyError(OSError): EBUSY */
};

static struct PyModuleDef core_module;

static struct module_state *state_of_type(PyTypeObject *tp)
{
	PyObject *m = PyType_GetModuleByDef(tp, &core_module);

	return m ? (struct module_state *)PyModule_GetState(m) : NULL;
}

/*
 * Raises the exception matching errno @err with libfastgpio's message.
 * Bad arguments are ValueError; missing permission PermissionError (with the
 * fix in the message); unknown hardware UnsupportedSoCError; impossible on this
 * SoC NotSupportedError; everything else the OSError subclass for the errno.
 */
static PyObject *raise_errno_msg(PyTypeObject *tp, int err, const char *msg)
{
	struct module_state *st = state_of_type(tp);
	PyObject *exc;

	switch (err) {
	case EINVAL:
	case ERANGE:
		PyErr_SetString(PyExc_ValueError, msg);
		return NULL;
	case EACCES:
	case EPERM:
		exc = PyExc_PermissionError;
		break;
	case ENODEV:
		exc = st ? st->unsupported_soc_error : PyExc_OSError;
		break;
	case ENOTSUP:
	case ENXIO:	/* a line with no pad: not supported, errno says which */
		exc = st ? st->not_supported_error : PyExc_OSError;
		break;
	case EBUSY:
		exc = st ? st->busy_error : PyExc_OSError;
		break;
	case ECANCELED:
		PyErr_SetString(st ? st->closed_error : PyExc_ValueError,
				"the Chip was closed while this thread waited for an edge");
		return NULL;
	default:
		exc = PyExc_OSError;	/* OSError(errno, msg) picks the builtin subclass */
		break;
	}
	PyObject *args = Py_BuildValue("(is)", err, msg);

	if (args) {
		PyErr_SetObject(exc, args);
		Py_DECREF(args);
	}
	return NULL;
}

static PyObject *raise_errno(PyTypeObject *tp, int err)
{
	return raise_errno_msg(tp, err, fgpio_last_error());
}

/* ------------------------------------------------------------------------ */
/* Chip                                                                     */

/*
 * Closing: close() first takes the chip out of c (every call, pins
 * included, then raises ChipClosedError: nothing new starts), keeps it in
 * dying, cancels the waves and wakes the edge waiters in progress, waits
 * until busy is 0 and only then unmaps. Calls that use the chip without the
 * GIL count themselves in busy (atomically: a wave's worker thread leaves
 * without the GIL) and do not touch the chip after leaving.
 */
typedef struct {
	PyObject_HEAD
	struct fgpio_chip *c;		/* NULL once close() has begun */
	struct fgpio_chip *dying;	/* the chip a close() in progress frees when busy is 0 */
	unsigned nlines;
	unsigned busy;		/* calls using the chip without the GIL: waves, samples, edge waits */
} ChipObject;

static int chip_closed(ChipObject *self)
{
	if (self->c)
		return 0;
	struct module_state *st = state_of_type(Py_TYPE(self));

	PyErr_SetString(st ? st->closed_error : PyExc_ValueError, "operation on a closed Chip");
	return 1;
}

/* Counts a call that is about to use the chip without the GIL; NULL (raised) once closing. */
static struct fgpio_chip *chip_enter(ChipObject *self)
{
	if (chip_closed(self))
		return NULL;
	__atomic_add_fetch(&self->busy, 1u, __ATOMIC_SEQ_CST);
	return self->c;
}

/* The end of such a call (with or without the GIL): its last use of the chip. */
static void chip_leave(ChipObject *self)
{
	__atomic_sub_fetch(&self->busy, 1u, __ATOMIC_SEQ_CST);
}

/* Positional-count check for METH_FASTCALL methods. */
static int nargs_ok(const char *name, Py_ssize_t nargs, Py_ssize_t want)
{
	if (nargs == want)
		return 1;
	PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", name, want, nargs);
	return 0;
}

static PyObject *chip_fail(ChipObject *self)
{
	return raise_errno(Py_TYPE(self), errno);
}

/*
 * Whether @obj is taken as an integer: an int or any object with __index__
 * (numpy integer scalars, int subclasses), as CPython's own APIs take them.
 * bool is not: chip.set(True) is a bug, not line 1.
 */
static int is_index(PyObject *obj)
{
	return !PyBool_Check(obj) && (PyLong_Check(obj) || PyIndex_Check(obj));
}

/*
 * The value of an is_index() object as a long long; *overflow set (and no
 * exception) when it does not fit. Returns -1 with an exception on failure.
 */
static int index_value(PyObject *obj, long long *v, int *overflow)
{
	*overflow = 0;
	if (PyLong_Check(obj)) {	/* the common case, without a new reference */
		*v = PyLong_AsLongLongAndOverflow(obj, overflow);
		return (*v == -1 && PyErr_Occurred()) ? -1 : 0;
	}
	PyObject *n = PyNumber_Index(obj);

	if (!n)
		return -1;
	*v = PyLong_AsLongLongAndOverflow(n, overflow);
	Py_DECREF(n);
	return (*v == -1 && PyErr_Occurred()) ? -1 : 0;
}

/*
 * A level: True/False, or an integer (is_index) that is 0 or 1. Everything
 * else is refused, not taken by its truth: "0", "off", 0.5, NaN and [0] are
 * all true, and would drive the line high. TypeError for the wrong type,
 * ValueError for another integer. The one conversion of every layer
 * (Chip.write, Pin.value, Chip.pin(value=), the gpiozero factory).
 */
static int level_arg(PyObject *obj, const char *what, int *out)
{
	if (obj == Py_True || obj == Py_False) {
		*out = obj == Py_True;
		return 0;
	}
	if (!is_index(obj)) {
		PyErr_Format(PyExc_TypeError, "%s must be 0, 1, True or False (a bool or an int), "
			     "not %.100s", what, Py_TYPE(obj)->tp_name);
		return -1;
	}
	long long v;
	int overflow;

	if (index_value(obj, &v, &overflow))
		return -1;
	if (overflow || (v != 0 && v != 1)) {
		PyErr_Format(PyExc_ValueError, "%s %R is not a level: use 0 or 1 (or False/True)",
			     what, obj);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/*
 * Converts a line argument: an integer (BCM/bank numbering; see is_index) or
 * a str name.
 */
static int line_arg(ChipObject *self, PyObject *obj, unsigned *line)
{
	if (is_index(obj)) {
		int overflow = 0;
		long long v;

		if (index_value(obj, &v, &overflow))
			return -1;
		if (overflow || v < 0 || (unsigned long long)v >= self->nlines) {
			PyErr_Format(PyExc_ValueError, "line %R does not exist on this chip (lines 0-%u)",
				     obj, self->nlines - 1u);
			return -1;
		}
		*line = (unsigned)v;
		return 0;
	}
	if (PyUnicode_Check(obj)) {
		const char *s = PyUnicode_AsUTF8(obj);

		if (!s)
			return -1;
		if (strlen(s) != (size_t)PyUnicode_GET_LENGTH(obj)) {
			PyErr_SetString(PyExc_ValueError, "pin name contains NUL or non-ASCII characters");
			return -1;
		}
		int r = fgpio_chip_find_line(self->c, s);

		if (r < 0) {
			/* A power pin or unknown name is a bad argument, whatever errno says. */
			PyErr_SetString(PyExc_ValueError, fgpio_last_error());
			return -1;
		}
		*line = (unsigned)r;
		return 0;
	}
	PyErr_Format(PyExc_TypeError, "pin must be an int or a str, not %.100s", Py_TYPE(obj)->tp_name);
	return -1;
}

/* An unsigned 32-bit integer argument (banks, masks, values, counts; see is_index). */
static int u32_arg(PyObject *obj, const char *what, uint32_t *out)
{
	if (!is_index(obj)) {
		PyErr_Format(PyExc_TypeError, "%s must be an int, not %.100s", what, Py_TYPE(obj)->tp_name);
		return -1;
	}
	int overflow = 0;
	long long v;

	if (index_value(obj, &v, &overflow))
		return -1;
	if (overflow || v < 0 || v > 0xffffffffLL) {
		PyErr_Format(PyExc_ValueError, "%s %R is outside 0..0xffffffff", what, obj);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static int small_arg(PyObject *obj, const char *what, unsigned *out)
{
	uint32_t v;

	if (u32_arg(obj, what, &v))
		return -1;
	*out = v;
	return 0;
}

/* The names of one of the library's enums, by value (NULL: no such value). */
typedef const char *(*enum_name_fn)(int v);

static const char *func_name_of(int v)
{
	return fgpio_func_name((enum fgpio_func)v);
}

static const char *pull_name_of(int v)
{
	return fgpio_pull_name((enum fgpio_pull)v);
}

static const char *edge_name_of(int v)
{
	static const char *const names[] = { "rising", "falling", "both" };

	return v >= FGPIO_EDGE_RISING && v <= FGPIO_EDGE_BOTH ? names[v - FGPIO_EDGE_RISING] : NULL;
}

/*
 * One conversion for every enum argument: a name of @name_of (exactly, or
 * ignoring ASCII case with @nocase) or an integer (incl. __index__ types,
 * never bool) in [@first, @limit). TypeError for anything else, ValueError
 * (listing @hint) for an unknown name or value.
 */
static int enum_arg(PyObject *obj, const char *what, enum_name_fn name_of, int first, int limit,
		    int nocase, const char *hint, int *out)
{
	if (PyUnicode_Check(obj)) {
		Py_ssize_t n;
		const char *s = PyUnicode_AsUTF8AndSize(obj, &n);

		if (!s)
			return -1;
		/* The length first: strcmp alone would take "out\0junk" for "out". */
		for (int v = first; v < limit && strlen(s) == (size_t)n; v++) {
			const char *name = name_of(v);

			if (nocase ? strcasecmp(s, name) == 0 : strcmp(s, name) == 0) {
				*out = v;
				return 0;
			}
		}
	} else if (is_index(obj)) {
		long long v;
		int overflow = 0;

		if (index_value(obj, &v, &overflow))
			return -1;
		if (!overflow && v >= first && v < limit) {
			*out = (int)v;
			return 0;
		}
	} else {
		PyErr_Format(PyExc_TypeError, "%s must be an int or a str, not %.100s", what,
			     Py_TYPE(obj)->tp_name);
		return -1;
	}
	PyErr_Format(PyExc_ValueError, "unknown %s %R (use %s)", what, obj, hint);
	return -1;
}

/* A function to select: "in", "out", "alt0".."alt8" or its number (never NONE). */
static int func_arg(PyObject *obj, int *out)
{
	return enum_arg(obj, "function", func_name_of, 0, FGPIO_FUNC_NONE, 0,
			"'in', 'out' or 'alt0'..'alt8'", out);
}

static int pull_arg(PyObject *obj, int *out)
{
	return enum_arg(obj, "pull", pull_name_of, 0, FGPIO_PULL_COUNT, 0, "'off', 'up' or 'down'", out);
}

/* Edges to watch: "rising", "falling", "both" (any case) or 1..3. */
static int edge_arg(PyObject *obj, int *edge)
{
	return enum_arg(obj, "edge", edge_name_of, FGPIO_EDGE_RISING, FGPIO_EDGE_BOTH + 1, 1,
			"'rising', 'falling' or 'both'", edge);
}

static int optional_path(PyObject *obj, void *out)
{
	if (obj == Py_None) {
		*(PyObject **)out = NULL;
		return 1;
	}
	return PyUnicode_FSConverter(obj, out);
}

static PyObject *chip_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static char *kwlist[] = { "soc", "dt_root", "gpiomem", "devmem", "backend", "enable_clocks",
				  "gpiochip", "board", NULL };
	const char *soc = NULL, *backend = "auto", *board = NULL;
	PyObject *dt_root = NULL, *gpiomem = NULL, *devmem = NULL, *gpiochip = NULL;
	int enable_clocks = 1;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|z$O&O&O&spO&z:Chip", kwlist, &soc,
					 optional_path, &dt_root, optional_path, &gpiomem,
					 optional_path, &devmem, &backend,
					 &enable_clocks, optional_path, &gpiochip, &board))
		goto fail;

	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.soc = soc;
	cfg.board = board;
	cfg.dt_root = dt_root ? PyBytes_AS_STRING(dt_root) : NULL;
	cfg.gpiomem = gpiomem ? PyBytes_AS_STRING(gpiomem) : NULL;
	cfg.devmem = devmem ? PyBytes_AS_STRING(devmem) : NULL;
	cfg.gpiochip = gpiochip ? PyBytes_AS_STRING(gpiochip) : NULL;
	if (!enable_clocks)
		cfg.flags |= FGPIO_OPEN_NO_CLOCK_ENABLE;
	if (strcmp(backend, "auto") == 0) {
		cfg.backend = FGPIO_BACKEND_AUTO;
	} else if (strcmp(backend, "gpiomem") == 0) {
		cfg.backend = FGPIO_BACKEND_GPIOMEM;
	} else if (strcmp(backend, "devmem") == 0) {
		cfg.backend = FGPIO_BACKEND_DEVMEM;
	} else if (strcmp(backend, "gpiod") == 0) {
		cfg.backend = FGPIO_BACKEND_GPIOD;
	} else {
		PyErr_Format(PyExc_ValueError, "unknown backend '%s' (use 'auto', 'gpiomem', 'devmem' "
			     "or 'gpiod')", backend);
		goto fail;
	}

	struct fgpio_chip *c;

	Py_BEGIN_ALLOW_THREADS
	c = fgpio_chip_open(&cfg);
	Py_END_ALLOW_THREADS
	if (!c) {
		raise_errno(type, errno);
		goto fail;
	}
	Py_XDECREF(dt_root);
	Py_XDECREF(gpiomem);
	Py_XDECREF(devmem);
	Py_XDECREF(gpiochip);

	ChipObject *self = (ChipObject *)type->tp_alloc(type, 0);

	if (!self) {
		fgpio_chip_close(c);
		return NULL;
	}
	self->c = c;
	self->nlines = fgpio_chip_num_lines(c);
	return (PyObject *)self;
fail:
	Py_XDECREF(dt_root);
	Py_XDECREF(gpiomem);
	Py_XDECREF(devmem);
	Py_XDECREF(gpiochip);
	return NULL;
}

static void chip_dealloc(ChipObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);

	PyObject_GC_UnTrack(self);
	fgpio_chip_close(self->c);
	fgpio_chip_close(self->dying);
	self->c = self->dying = NULL;
	tp->tp_free((PyObject *)self);
	Py_DECREF(tp);
}

static int chip_traverse(ChipObject *self, visitproc visit, void *arg)
{
	Py_VISIT(Py_TYPE(self));
	return 0;
}

static PyObject *chip_close(ChipObject *self, PyObject *unused)
{
	(void)unused;
	if (self->c) {
		self->dying = self->c;
		self->c = NULL;
	}
	struct fgpio_chip *c = self->dying;

	/* This close, or one begun in another thread, waits for the calls in progress. */
	while (c && self->dying == c && __atomic_load_n(&self->busy, __ATOMIC_SEQ_CST)) {
		/* Each round: a wave or a wait that began just before closing is caught too. */
		(void)fgpio_chip_wave_cancel(c);
		(void)fgpio_chip_event_cancel(c);
		Py_BEGIN_ALLOW_THREADS
		struct timespec ts = { 0, 1000000 };

		nanosleep(&ts, NULL);
		Py_END_ALLOW_THREADS
	}
	if (c && self->dying == c) {
		self->dying = NULL;
		fgpio_chip_close(c);
	}
	Py_RETURN_NONE;
}

/* _stop_wave() -> bool: cancels the waves playing on this chip (True: there was one). */
static PyObject *chip_stop_wave(ChipObject *self, PyObject *unused)
{
	(void)unused;
	if (chip_closed(self))
		return NULL;
	int r = fgpio_chip_wave_cancel(self->c);

	if (r < 0)
		return chip_fail(self);
	return PyBool_FromLong(r > 0);
}

/*
 * _forked(): in a fork() child, forgets the calls of threads that exist only
 * in the parent (the child's close would wait for them forever) and finishes
 * a close another thread had begun.
 */
static PyObject *chip_forked(ChipObject *self, PyObject *unused)
{
	(void)unused;
	__atomic_store_n(&self->busy, 0u, __ATOMIC_SEQ_CST);
	if (self->dying) {
		fgpio_chip_close(self->dying);
		self->dying = NULL;
	}
	Py_RETURN_NONE;
}

/* _watch(line, edge, debounce_us) -> fd: start queuing edge events of a line. */
static PyObject *chip_watch(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned line;
	int edge;
	uint32_t debounce;

	if (!nargs_ok("_watch", nargs, 3))
		return NULL;
	if (chip_closed(self) || line_arg(self, args[0], &line) || edge_arg(args[1], &edge) ||
	    u32_arg(args[2], "debounce_us", &debounce))
		return NULL;
	int fd = fgpio_chip_watch(self->c, line, edge, debounce);

	if (fd < 0)
		return chip_fail(self);
	return PyLong_FromLong(fd);
}

/* _unwatch(line): stop watching a line. */
static PyObject *chip_watching(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	int r = fgpio_chip_watching(self->c, line);

	if (r < 0)
		return chip_fail(self);
	return PyBool_FromLong(r);
}

static PyObject *chip_unwatch(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	if (fgpio_chip_unwatch(self->c, line))
		return chip_fail(self);
	Py_RETURN_NONE;
}

/*
 * _event_read(line, timeout_ns) -> (edge, timestamp_ns, line, seqno) or None:
 * the oldest queued event, waiting up to timeout_ns (< 0 forever) with the
 * GIL released.
 */
static PyObject *chip_event_read(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned line;
	long long timeout;
	struct fgpio_event ev;

	if (!nargs_ok("_event_read", nargs, 2))
		return NULL;
	if (chip_closed(self) || line_arg(self, args[0], &line))
		return NULL;
	timeout = PyLong_AsLongLong(args[1]);
	if (timeout == -1 && PyErr_Occurred())
		return NULL;
	int r, err = 0;
	struct fgpio_chip *c = chip_enter(self);

	if (!c)
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	r = fgpio_chip_event_read(c, line, &ev, (int64_t)timeout);
	err = errno;
	chip_leave(self);
	Py_END_ALLOW_THREADS
	if (r < 0)
		return raise_errno(Py_TYPE(self), err);
	if (r == 0)
		Py_RETURN_NONE;
	return Py_BuildValue("(iKIK)", ev.edge, (unsigned long long)ev.timestamp_ns, ev.line,
			     (unsigned long long)ev.seqno);
}

/* _line_owner(line) -> consumer name ('' unnamed) or None when free. */
static PyObject *chip_line_owner(ChipObject *self, PyObject *arg)
{
	unsigned line;
	char consumer[64];

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	int r = fgpio_chip_line_owner(self->c, line, consumer, sizeof(consumer));

	if (r < 0)
		return chip_fail(self);
	if (r == 0)
		Py_RETURN_NONE;
	return PyUnicode_DecodeUTF8(consumer, (Py_ssize_t)strlen(consumer), "replace");
}

static PyObject *chip_get_closed(ChipObject *self, void *unused)
{
	(void)unused;
	return PyBool_FromLong(self->c == NULL);
}

static PyObject *chip_get_num_lines(ChipObject *self, void *unused)
{
	(void)unused;
	if (chip_closed(self))
		return NULL;
	return PyLong_FromUnsignedLong(self->nlines);
}

static PyObject *chip_get_num_banks(ChipObject *self, void *unused)
{
	(void)unused;
	if (chip_closed(self))
		return NULL;
	return PyLong_FromUnsignedLong(fgpio_chip_num_banks(self->c));
}

static PyObject *chip_info_dict(ChipObject *self, PyObject *unused)
{
	struct fgpio_chip_info info;
	struct fgpio_soc_info si;

	(void)unused;
	if (chip_closed(self))
		return NULL;
	if (fgpio_chip_get_info(self->c, &info) || fgpio_chip_get_soc_info(self->c, &si))
		return chip_fail(self);
	return Py_BuildValue("{s:s,s:s,s:s,s:s,s:s,s:K,s:I,s:I,s:s,s:s,s:z,s:z,s:z,s:O,s:O}",
			     "soc", info.soc, "board", info.board, "backend", info.backend,
			     "device", info.device, "reason", info.reason,
			     "base", (unsigned long long)info.base, "num_lines", info.num_lines,
			     "num_banks", info.num_banks, "description", si.description,
			     "family", si.family, "gpiochip_label", si.gpiochip_label,
			     "bank_chip_label", si.bank_chip_label, "bench_line", si.bench_line,
			     "raspberry_pi", (si.flags & FGPIO_SOC_RASPBERRY_PI) ? Py_True : Py_False,
			     "posted_writes", (si.flags & FGPIO_SOC_POSTED_WRITES) ? Py_True : Py_False);
}

static PyObject *chip_line(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	return PyLong_FromUnsignedLong(line);
}

static PyObject *chip_set(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	if (fgpio_chip_set(self->c, line))
		return chip_fail(self);
	Py_RETURN_NONE;
}

static PyObject *chip_clear(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	if (fgpio_chip_clear(self->c, line))
		return chip_fail(self);
	Py_RETURN_NONE;
}

static PyObject *chip_write(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned line;

	if (!nargs_ok("write", nargs, 2))
		return NULL;
	int v;

	if (chip_closed(self) || line_arg(self, args[0], &line) || level_arg(args[1], "value", &v))
		return NULL;
	if (fgpio_chip_write(self->c, line, v))
		return chip_fail(self);
	Py_RETURN_NONE;
}

static PyObject *chip_read(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	int v = fgpio_chip_read(self->c, line);

	if (v < 0)
		return chip_fail(self);
	return PyLong_FromLong(v);
}

static PyObject *chip_bank_write(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned bank;
	uint32_t mask, values;

	if (!nargs_ok("bank_write", nargs, 3))
		return NULL;
	if (chip_closed(self) || small_arg(args[0], "bank", &bank) || u32_arg(args[1], "mask", &mask) ||
	    u32_arg(args[2], "values", &values))
		return NULL;
	if (fgpio_chip_bank_write(self->c, bank, mask, values))
		return chip_fail(self);
	Py_RETURN_NONE;
}

static PyObject *chip_bank_read(ChipObject *self, PyObject *arg)
{
	unsigned bank;
	uint32_t v;

	if (chip_closed(self) || small_arg(arg, "bank", &bank))
		return NULL;
	if (fgpio_chip_bank_read(self->c, bank, &v))
		return chip_fail(self);
	return PyLong_FromUnsignedLong(v);
}

static PyObject *chip_bank_lines(ChipObject *self, PyObject *arg)
{
	unsigned bank, first, count;

	if (chip_closed(self) || small_arg(arg, "bank", &bank))
		return NULL;
	if (fgpio_chip_bank_lines(self->c, bank, &first, &count))
		return chip_fail(self);
	return Py_BuildValue("(II)", first, count);
}

static PyObject *chip_set_function(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned line;
	int f;

	if (!nargs_ok("set_function", nargs, 2))
		return NULL;
	if (chip_closed(self) || line_arg(self, args[0], &line) || func_arg(args[1], &f))
		return NULL;
	if (fgpio_chip_set_func(self->c, line, (enum fgpio_func)f))
		return chip_fail(self);
	Py_RETURN_NONE;
}

/* _check_function(line, function): raises what set_function would, writing nothing. */
static PyObject *chip_check_function(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned line;
	int f;

	if (!nargs_ok("_check_function", nargs, 2))
		return NULL;
	if (chip_closed(self) || line_arg(self, args[0], &line) || func_arg(args[1], &f))
		return NULL;
	if (fgpio_chip_check_func(self->c, line, (enum fgpio_func)f))
		return chip_fail(self);
	Py_RETURN_NONE;
}

static PyObject *chip_get_function(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	int f = fgpio_chip_get_func(self->c, line);

	if (f < 0)
		return chip_fail(self);
	return PyLong_FromLong(f);
}

static PyObject *chip_set_pull(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	unsigned line;
	int p;

	if (!nargs_ok("set_pull", nargs, 2))
		return NULL;
	if (chip_closed(self) || line_arg(self, args[0], &line) || pull_arg(args[1], &p))
		return NULL;
	/*
	 * The GIL stays held although the BCM2835 sequence waits ~20 µs: with it
	 * released another thread could close() the chip under us (use after free).
	 */
	if (fgpio_chip_set_pull(self->c, line, (enum fgpio_pull)p))
		return chip_fail(self);
	Py_RETURN_NONE;
}

static PyObject *chip_get_pull(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	int p = fgpio_chip_get_pull(self->c, line);

	if (p < 0)
		return chip_fail(self);
	return PyLong_FromLong(p);
}

/* 1 / 0: the line's input receiver is on / off; NotSupportedError where the table cannot tell. */
static PyObject *chip_get_input_enable(ChipObject *self, PyObject *arg)
{
	unsigned line;

	if (chip_closed(self) || line_arg(self, arg, &line))
		return NULL;
	int on = fgpio_chip_get_input_enable(self->c, line);

	if (on < 0)
		return chip_fail(self);
	return PyBool_FromLong(on);
}

static PyObject *chip_header(ChipObject *self, PyObject *unused)
{
	(void)unused;
	if (chip_closed(self))
		return NULL;
	unsigned n = fgpio_chip_num_header_pins(self->c);
	PyObject *list = PyList_New(n);

	if (!list)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		const char *label;
		int line;

		if (fgpio_chip_header_pin(self->c, i, &label, &line)) {
			Py_DECREF(list);
			return chip_fail(self);
		}
		PyObject *t = Py_BuildValue("(si)", label, line);

		if (!t) {
			Py_DECREF(list);
			return NULL;
		}
		PyList_SET_ITEM(list, i, t);
	}
	return list;
}

/* ------------------------------------------------------------------------ */
/* Chip: waveforms and bank sampling (src/wave.c). GIL released.            */

/* A C int argument that may be None (-> @none). */
static int opt_int_arg(PyObject *obj, const char *what, int none, int lo, int hi, int *out)
{
	if (obj == Py_None) {
		*out = none;
		return 0;
	}
	if (!is_index(obj)) {
		PyErr_Format(PyExc_TypeError, "%s must be an int or None, not %.100s", what,
			     Py_TYPE(obj)->tp_name);
		return -1;
	}
	int overflow = 0;
	long long v;

	if (index_value(obj, &v, &overflow))
		return -1;
	if (overflow || v < lo || v > hi) {
		PyErr_Format(PyExc_ValueError, "%s %R is outside %d..%d", what, obj, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

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
		k = poll(&p, 1, interrupted ? -1 : WAVE_SIGNAL_POLL_MS);
		Py_END_ALLOW_THREADS
		if (k > 0)
			break;
		if (!interrupted && PyErr_CheckSignals() < 0) {
			interrupted = 1;
			pthread_mutex_lock(&j->m);
			if (!j->done)	/* still counted in busy: the chip cannot be freed yet */
				(void)fgpio_chip_wave_cancel(j->c);
			pthread_mutex_unlock(&j->m);
		}
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

static PyObject *chip_wave(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
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
static PyObject *chip_bank_sample_into(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
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

/* ---- end of waveforms and sampling ---- */

/* ---- benchmark helpers (`fastgpio bench`); not API ---- */

/*
 * The ceiling rows of `fastgpio bench`: n iterations of a C loop over the
 * library's own line handle (fgpio_line_init, the mapping every other method
 * uses). stores: drive high, then low (2n level changes: one volatile store
 * each where the SoC has set/clear registers, the locked read-modify-write
 * otherwise); loads: n level reads. GIL released. Returns elapsed ns.
 */
static PyObject *chip_bench_loop(ChipObject *self, PyObject *const *args, Py_ssize_t nargs,
				 const char *name, int loads)
{
	unsigned line;
	uint32_t n;
	struct fgpio_line h;

	if (!nargs_ok(name, nargs, 2))
		return NULL;
	if (chip_closed(self) || line_arg(self, args[0], &line) || u32_arg(args[1], "n", &n))
		return NULL;
	if (fgpio_line_init(self->c, line, &h))
		return chip_fail(self);
	struct timespec t0, t1;
	volatile unsigned sink = 0;
	unsigned acc = 0;

	if (!chip_enter(self))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (loads) {
		for (uint32_t i = 0; i < n; i++)
			acc += (unsigned)fgpio_line_get(&h);
	} else {
		for (uint32_t i = 0; i < n; i++) {
			fgpio_line_on(&h);
			fgpio_line_off(&h);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	chip_leave(self);
	Py_END_ALLOW_THREADS
	sink = acc;
	(void)sink;
	return PyLong_FromLongLong((long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL +
				   (t1.tv_nsec - t0.tv_nsec));
}

/* _bench_store_loop(line, n) -> elapsed_ns: n x (high, low) from C. */
static PyObject *chip_bench_store_loop(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	return chip_bench_loop(self, args, nargs, "_bench_store_loop", 0);
}

/* _bench_load_loop(line, n) -> elapsed_ns: n level reads from C. */
static PyObject *chip_bench_load_loop(ChipObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	return chip_bench_loop(self, args, nargs, "_bench_load_loop", 1);
}

/* ---- end of the benchmark helpers ---- */

static PyMethodDef chip_methods[] = {
	{ "close", (PyCFunction)chip_close, METH_NOARGS,
	  "Unmap the registers once the calls in progress have ended (waves cancelled, edge "
	  "waiters woken); nothing new starts meanwhile. Idempotent." },
	{ "_stop_wave", (PyCFunction)chip_stop_wave, METH_NOARGS,
	  "_stop_wave() -> bool: cancel the waves playing on this chip (True: there was one)." },
	{ "_forked", (PyCFunction)chip_forked, METH_NOARGS,
	  "_forked(): in a fork() child, forget the calls of the parent's other threads." },
	{ "_info", (PyCFunction)chip_info_dict, METH_NOARGS, "Chip facts as a dict." },
	{ "line", (PyCFunction)chip_line, METH_O, "Resolve a pin name or number to a line number." },
	{ "set", (PyCFunction)chip_set, METH_O, "Drive a line high." },
	{ "clear", (PyCFunction)chip_clear, METH_O, "Drive a line low." },
	{ "write", (PyCFunction)(void (*)(void))chip_write, METH_FASTCALL, "write(line, value)" },
	{ "read", (PyCFunction)chip_read, METH_O, "Level of a line (0 or 1)." },
	{ "bank_write", (PyCFunction)(void (*)(void))chip_bank_write, METH_FASTCALL,
	  "bank_write(bank, mask, values): drive the masked lines of a bank at once." },
	{ "bank_read", (PyCFunction)chip_bank_read, METH_O, "Levels of a bank's lines as an int." },
	{ "bank_lines", (PyCFunction)chip_bank_lines, METH_O, "(first line, line count) of a bank." },
	{ "set_function", (PyCFunction)(void (*)(void))chip_set_function, METH_FASTCALL,
	  "set_function(line, function)" },
	{ "_check_function", (PyCFunction)(void (*)(void))chip_check_function, METH_FASTCALL,
	  "_check_function(line, function): raise what set_function would raise, writing nothing." },
	{ "_get_function", (PyCFunction)chip_get_function, METH_O, "Function of a line as an int." },
	{ "set_pull", (PyCFunction)(void (*)(void))chip_set_pull, METH_FASTCALL, "set_pull(line, pull)" },
	{ "_get_pull", (PyCFunction)chip_get_pull, METH_O, "Pull of a line as an int." },
	{ "_get_input_enable", (PyCFunction)chip_get_input_enable, METH_O,
	  "Whether the line's input receiver is on (AM335x pad RXACTIVE)." },
	{ "_header", (PyCFunction)chip_header, METH_NOARGS, "[(label, line), ...] of the board header." },
	/* waveforms and sampling */
	{ "_wave", (PyCFunction)(void (*)(void))chip_wave, METH_FASTCALL,
	  "_wave(bank, steps, repeat, cpu, fifo_priority, spin_ns, catch_up): play a waveform (GIL released)." },
	{ "_bank_sample_into", (PyCFunction)(void (*)(void))chip_bank_sample_into, METH_FASTCALL,
	  "_bank_sample_into(bank, buffer) -> elapsed_ns: fill a uint32 buffer with level samples." },
	/* edge events */
	{ "_watch", (PyCFunction)(void (*)(void))chip_watch, METH_FASTCALL,
	  "_watch(line, edge, debounce_us) -> fd: start queuing edge events of a line." },
	{ "_unwatch", (PyCFunction)chip_unwatch, METH_O, "_unwatch(line): stop watching a line." },
	{ "_watching", (PyCFunction)chip_watching, METH_O,
	  "_watching(line) -> bool: whether the C side watches the line." },
	{ "_event_read", (PyCFunction)(void (*)(void))chip_event_read, METH_FASTCALL,
	  "_event_read(line, timeout_ns) -> (edge, timestamp_ns, line, seqno) or None (GIL released)." },
	{ "_line_owner", (PyCFunction)chip_line_owner, METH_O,
	  "_line_owner(line) -> name of the consumer holding the line ('' unnamed), or None." },
	/* benchmark helpers of `fastgpio bench` (not API) */
	{ "_bench_store_loop", (PyCFunction)(void (*)(void))chip_bench_store_loop, METH_FASTCALL,
	  "_bench_store_loop(line, n) -> elapsed_ns: n x (high, low) in a C loop (GIL released)." },
	{ "_bench_load_loop", (PyCFunction)(void (*)(void))chip_bench_load_loop, METH_FASTCALL,
	  "_bench_load_loop(line, n) -> elapsed_ns: n level reads in a C loop (GIL released)." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef chip_getset[] = {
	{ "closed", (getter)chip_get_closed, NULL, "True after close().", NULL },
	{ "num_lines", (getter)chip_get_num_lines, NULL, "Number of GPIO lines.", NULL },
	{ "num_banks", (getter)chip_get_num_banks, NULL, "Number of banks.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyType_Slot chip_slots[] = {
	{ Py_tp_new, chip_new },
	{ Py_tp_dealloc, chip_dealloc },
	{ Py_tp_traverse, chip_traverse },
	{ Py_tp_methods, chip_methods },
	{ Py_tp_getset, chip_getset },
	{ Py_tp_doc, "Chip(soc=None, *, dt_root=None, gpiomem=None, devmem=None, backend='auto', "
		     "enable_clocks=True, gpiochip=None): an opened GPIO controller." },
	{ 0, NULL },
};

static PyType_Spec chip_spec = {
	.name = "fastgpio._core.Chip",
	.basicsize = sizeof(ChipObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
	.slots = chip_slots,
};

/* ------------------------------------------------------------------------ */
/* Pin: a line handle. on()/off()/value are single register accesses.       */

typedef struct {
	PyObject_HEAD
	ChipObject *chip;	/* strong reference: the chip outlives its pins */
	struct fgpio_line h;
} PinObject;

static PyObject *pin_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static char *kwlist[] = { "chip", "line", NULL };
	PyObject *chip, *line_obj;
	struct module_state *st = state_of_type(type);

	if (!st)
		return NULL;
	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:Pin", kwlist, &chip, &line_obj))
		return NULL;
	if (!PyObject_TypeCheck(chip, (PyTypeObject *)st->chip_type)) {
		PyErr_Format(PyExc_TypeError, "Pin needs a Chip, not %.100s", Py_TYPE(chip)->tp_name);
		return NULL;
	}
	ChipObject *c = (ChipObject *)chip;
	unsigned line;

	if (chip_closed(c) || line_arg(c, line_obj, &line))
		return NULL;
	PinObject *self = (PinObject *)type->tp_alloc(type, 0);

	if (!self)
		return NULL;
	if (fgpio_line_init(c->c, line, &self->h)) {
		int e = errno;

		Py_DECREF(self);	/* runs the destructor, which may change errno */
		return raise_errno(type, e);
	}
	Py_INCREF(chip);
	self->chip = c;
	return (PyObject *)self;
}

static void pin_dealloc(PinObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);

	PyObject_GC_UnTrack(self);
	Py_CLEAR(self->chip);
	tp->tp_free((PyObject *)self);
	Py_DECREF(tp);
}

static int pin_traverse(PinObject *self, visitproc visit, void *arg)
{
	Py_VISIT(Py_TYPE(self));
	Py_VISIT(self->chip);
	return 0;
}

static int pin_clear_refs(PinObject *self)
{
	Py_CLEAR(self->chip);
	return 0;
}

/* The chip was closed (or the pin cleared): the cached pointers are dead. */
static int pin_dead(PinObject *self)
{
	if (self->chip && self->chip->c)
		return 0;
	struct module_state *st = state_of_type(Py_TYPE(self));

	PyErr_SetString(st ? st->closed_error : PyExc_ValueError, "operation on a pin of a closed Chip");
	return 1;
}

static PyObject *pin_slow_write(PinObject *self, int v)
{
	if (pin_dead(self))
		return NULL;
	if (fgpio_chip_write(self->chip->c, self->h.line, v))
		return raise_errno(Py_TYPE(self), errno);
	Py_RETURN_NONE;
}

static PyObject *pin_on(PinObject *self, PyObject *unused)
{
	(void)unused;
	if (self->h.set_reg && self->chip && self->chip->c) {
		*self->h.set_reg = self->h.mask;
		Py_RETURN_NONE;
	}
	return pin_slow_write(self, 1);
}

static PyObject *pin_off(PinObject *self, PyObject *unused)
{
	(void)unused;
	if (self->h.clr_reg && self->chip && self->chip->c) {
		*self->h.clr_reg = self->h.mask;
		Py_RETURN_NONE;
	}
	return pin_slow_write(self, 0);
}

static int pin_level(PinObject *self)
{
	if (pin_dead(self))
		return -1;
	if (self->h.in_reg)
		return (*self->h.in_reg & self->h.mask) != 0;
	int v = fgpio_chip_read(self->chip->c, self->h.line);

	if (v < 0)
		raise_errno(Py_TYPE(self), errno);
	return v;
}

static PyObject *pin_toggle(PinObject *self, PyObject *unused)
{
	(void)unused;
	int v = pin_level(self);

	if (v < 0)
		return NULL;
	return v ? pin_off(self, NULL) : pin_on(self, NULL);
}

static PyObject *pin_get_value(PinObject *self, void *unused)
{
	(void)unused;
	int v = pin_level(self);

	if (v < 0)
		return NULL;
	return PyLong_FromLong(v);
}

static int pin_set_value(PinObject *self, PyObject *value, void *unused)
{
	(void)unused;
	if (!value) {
		PyErr_SetString(PyExc_AttributeError, "cannot delete a pin's value");
		return -1;
	}
	int v;

	if (level_arg(value, "value", &v))
		return -1;
	PyObject *r = v ? pin_on(self, NULL) : pin_off(self, NULL);

	if (!r)
		return -1;
	Py_DECREF(r);
	return 0;
}

static PyObject *pin_get_line(PinObject *self, void *unused)
{
	(void)unused;
	return PyLong_FromUnsignedLong(self->h.line);
}

static PyObject *pin_get_chip(PinObject *self, void *unused)
{
	(void)unused;
	if (!self->chip)
		Py_RETURN_NONE;
	Py_INCREF(self->chip);
	return (PyObject *)self->chip;
}

static PyMethodDef pin_methods[] = {
	{ "on", (PyCFunction)pin_on, METH_NOARGS, "Drive the line high (one register store)." },
	{ "off", (PyCFunction)pin_off, METH_NOARGS, "Drive the line low (one register store)." },
	{ "toggle", (PyCFunction)pin_toggle, METH_NOARGS, "Invert the line's level." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef pin_getset[] = {
	{ "value", (getter)pin_get_value, (setter)pin_set_value,
	  "Level of the line (0 or 1); set with True/False or an integer 0/1 (TypeError for other "
	  "types, ValueError for other integers).", NULL },
	{ "line", (getter)pin_get_line, NULL, "Line number.", NULL },
	{ "chip", (getter)pin_get_chip, NULL, "The chip this pin belongs to.", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyType_Slot pin_slots[] = {
	{ Py_tp_new, pin_new },
	{ Py_tp_dealloc, pin_dealloc },
	{ Py_tp_traverse, pin_traverse },
	{ Py_tp_clear, pin_clear_refs },
	{ Py_tp_methods, pin_methods },
	{ Py_tp_getset, pin_getset },
	{ Py_tp_doc, "Pin(chip, line): a GPIO line with single-store on()/off()." },
	{ 0, NULL },
};

static PyType_Spec pin_spec = {
	.name = "fastgpio._core.Pin",
	.basicsize = sizeof(PinObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
	.slots = pin_slots,
};

/* ------------------------------------------------------------------------ */
/* ChannelTable: fastgpio.RPi.GPIO's output()/input() hot path               */
/*
 * RPi.GPIO's output(channel, value) and input(channel) are C functions; a
 * Python-level wrapper around Pin costs more per call than the whole of
 * RPi.GPIO's output(). ChannelTable keeps two dicts (channel -> Pin) that the
 * Python module fills at setup(); its output/input methods serve an int
 * channel found there with one register access and hand every other call,
 * unchanged, to the Python fallback, which owns all the checks and messages.
 */

typedef struct {
	PyObject_HEAD
	PyObject *outputs;	/* dict: int channel -> Pin set up as an output */
	PyObject *inputs;	/* dict: int channel -> Pin set up in either direction */
	PyObject *output_fallback;
	PyObject *input_fallback;
	PyObject *pin_type;	/* fastgpio._core.Pin, looked up once */
} TableObject;

static PyObject *table_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
	static char *kwlist[] = { "output_fallback", "input_fallback", NULL };
	PyObject *out_fb, *in_fb;

	if (!PyArg_ParseTupleAndKeywords(args, kwargs, "OO:ChannelTable", kwlist, &out_fb, &in_fb))
		return NULL;
	if (!PyCallable_Check(out_fb) || !PyCallable_Check(in_fb)) {
		PyErr_SetString(PyExc_TypeError, "ChannelTable needs two callables");
		return NULL;
	}
	TableObject *self = (TableObject *)type->tp_alloc(type, 0);

	if (!self)
		return NULL;
	self->outputs = PyDict_New();
	self->inputs = PyDict_New();
	if (!self->outputs || !self->inputs) {
		Py_DECREF(self);
		return NULL;
	}
	self->output_fallback = Py_NewRef(out_fb);
	self->input_fallback = Py_NewRef(in_fb);
	struct module_state *st = state_of_type(type);

	if (!st) {
		Py_DECREF(self);
		return NULL;
	}
	self->pin_type = Py_NewRef(st->pin_type);
	return (PyObject *)self;
}

static int table_traverse(TableObject *self, visitproc visit, void *arg)
{
	Py_VISIT(Py_TYPE(self));
	Py_VISIT(self->outputs);
	Py_VISIT(self->inputs);
	Py_VISIT(self->output_fallback);
	Py_VISIT(self->input_fallback);
	Py_VISIT(self->pin_type);
	return 0;
}

static int table_clear(TableObject *self)
{
	Py_CLEAR(self->outputs);
	Py_CLEAR(self->inputs);
	Py_CLEAR(self->output_fallback);
	Py_CLEAR(self->input_fallback);
	Py_CLEAR(self->pin_type);
	return 0;
}

static void table_dealloc(TableObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);

	PyObject_GC_UnTrack(self);
	table_clear(self);
	tp->tp_free((PyObject *)self);
	Py_DECREF(tp);
}

/* The Pin stored for @channel in @dict, or NULL (no exception) when the call
 * is not one for the fast path. */
static PinObject *table_pin(TableObject *self, PyObject *dict, PyObject *channel)
{
	if (!dict || !self->pin_type || !PyLong_CheckExact(channel))
		return NULL;
	PyObject *pin = PyDict_GetItemWithError(dict, channel);	/* borrowed */

	if (!pin) {
		PyErr_Clear();	/* an int hashes without error; be safe anyway */
		return NULL;
	}
	return PyObject_TypeCheck(pin, (PyTypeObject *)self->pin_type) ? (PinObject *)pin : NULL;
}

static PyObject *table_output(TableObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	if (nargs == 2 && (PyLong_CheckExact(args[1]) || PyBool_Check(args[1]))) {
		PinObject *pin = table_pin(self, self->outputs, args[0]);

		if (pin) {
			int v = PyObject_IsTrue(args[1]);	/* cannot fail for an int */

			return v ? pin_on(pin, NULL) : pin_off(pin, NULL);
		}
	}
	if (!self->output_fallback) {
		PyErr_SetString(PyExc_ValueError, "cleared ChannelTable");
		return NULL;
	}
	return PyObject_Vectorcall(self->output_fallback, args, (size_t)nargs, NULL);
}

static PyObject *table_input(TableObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	if (nargs == 1) {
		PinObject *pin = table_pin(self, self->inputs, args[0]);

		if (pin)
			return pin_get_value(pin, NULL);
	}
	if (!self->input_fallback) {
		PyErr_SetString(PyExc_ValueError, "cleared ChannelTable");
		return NULL;
	}
	return PyObject_Vectorcall(self->input_fallback, args, (size_t)nargs, NULL);
}

static PyObject *table_get_outputs(TableObject *self, void *unused)
{
	(void)unused;
	return Py_NewRef(self->outputs ? self->outputs : Py_None);
}

static PyObject *table_get_inputs(TableObject *self, void *unused)
{
	(void)unused;
	return Py_NewRef(self->inputs ? self->inputs : Py_None);
}

static PyMethodDef table_methods[] = {
	{ "output", (PyCFunction)(void (*)(void))table_output, METH_FASTCALL,
	  "output(channel, value, /)\n--\n\n"
	  "Drive an output channel: an int channel in outputs with an int or bool value is one "
	  "register store; every other call goes to output_fallback." },
	{ "input", (PyCFunction)(void (*)(void))table_input, METH_FASTCALL,
	  "input(channel, /)\n--\n\n"
	  "Level of a channel: an int channel in inputs is one register load; every other call "
	  "goes to input_fallback." },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef table_getset[] = {
	{ "outputs", (getter)table_get_outputs, NULL, "dict: channel -> Pin served by output().", NULL },
	{ "inputs", (getter)table_get_inputs, NULL, "dict: channel -> Pin served by input().", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

static PyType_Slot table_slots[] = {
	{ Py_tp_new, table_new },
	{ Py_tp_dealloc, table_dealloc },
	{ Py_tp_traverse, table_traverse },
	{ Py_tp_clear, table_clear },
	{ Py_tp_methods, table_methods },
	{ Py_tp_getset, table_getset },
	{ Py_tp_doc, "ChannelTable(output_fallback, input_fallback): fastgpio.RPi.GPIO's "
		     "output()/input() hot path (private)." },
	{ 0, NULL },
};

static PyType_Spec table_spec = {
	.name = "fastgpio._core.ChannelTable",
	.basicsize = sizeof(TableObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.slots = table_slots,
};

/* ------------------------------------------------------------------------ */
/* Module                                                                   */

static PyObject *mod_soc_names(PyObject *mod, PyObject *unused)
{
	(void)mod;
	(void)unused;
	const char *const *names = fgpio_soc_names();
	PyObject *list = PyList_New(0);

	for (size_t i = 0; list && names[i]; i++) {
		PyObject *s = PyUnicode_FromString(names[i]);

		if (!s || PyList_Append(list, s)) {
			Py_XDECREF(s);
			Py_CLEAR(list);
			break;
		}
		Py_DECREF(s);
	}
	if (!list)
		return NULL;
	PyObject *t = PyList_AsTuple(list);

	Py_DECREF(list);
	return t;
}

/* ---- per-call overhead of the public subclasses ---- */

/*
 * _own_methods(cls): gives a Python subclass of Chip or Pin its own method
 * descriptors for the C methods it inherits (those it does not override).
 * CPython's specialised calls of C methods (CALL_NO_KW_METHOD_DESCRIPTOR_*
 * in 3.11, CALL_METHOD_DESCRIPTOR_* later) require type(self) to be exactly
 * the descriptor's type; for an inherited descriptor of the base type every
 * pin.on() fell back to the generic call path with a subtype check
 * (callgrind: about 140 more instructions per call on 3.11).
 */
static PyObject *mod_own_methods(PyObject *mod, PyObject *cls)
{
	struct module_state *st = PyModule_GetState(mod);
	PyMethodDef *defs;

	if (!PyType_Check(cls)) {
		PyErr_SetString(PyExc_TypeError, "_own_methods() needs a class");
		return NULL;
	}
	PyTypeObject *tp = (PyTypeObject *)cls;

	if (PyType_IsSubtype(tp, (PyTypeObject *)st->pin_type))
		defs = pin_methods;
	else if (PyType_IsSubtype(tp, (PyTypeObject *)st->chip_type))
		defs = chip_methods;
	else {
		PyErr_SetString(PyExc_TypeError, "_own_methods() needs a subclass of Chip or Pin");
		return NULL;
	}
	PyObject *own = PyObject_GetAttrString(cls, "__dict__");

	if (!own)
		return NULL;
	for (PyMethodDef *d = defs; d->ml_name; d++) {
		PyObject *name = PyUnicode_FromString(d->ml_name);
		int has = name ? PySequence_Contains(own, name) : -1;
		PyObject *descr = has == 0 ? PyDescr_NewMethod(tp, d) : NULL;
		int r = descr ? PyObject_SetAttr(cls, name, descr) : has == 1 ? 0 : -1;

		Py_XDECREF(descr);
		Py_XDECREF(name);
		if (r < 0) {
			Py_DECREF(own);
			return NULL;
		}
	}
	Py_DECREF(own);
	Py_RETURN_NONE;
}

/* _level(value, what='value') -> 0 or 1: the level conversion of Pin.value, for Python layers. */
/* _function(x), _pull(x), _edge(x) -> int: the conversions the Chip methods use. */
static PyObject *mod_function(PyObject *mod, PyObject *obj)
{
	int v;

	(void)mod;
	return func_arg(obj, &v) ? NULL : PyLong_FromLong(v);
}

static PyObject *mod_pull(PyObject *mod, PyObject *obj)
{
	int v;

	(void)mod;
	return pull_arg(obj, &v) ? NULL : PyLong_FromLong(v);
}

static PyObject *mod_edge(PyObject *mod, PyObject *obj)
{
	int v;

	(void)mod;
	return edge_arg(obj, &v) ? NULL : PyLong_FromLong(v);
}

static PyObject *mod_level(PyObject *mod, PyObject *const *args, Py_ssize_t nargs)
{
	const char *what = "value";
	int v;

	(void)mod;
	if (nargs < 1 || nargs > 2) {
		PyErr_Format(PyExc_TypeError, "_level() takes 1 or 2 arguments (%zd given)", nargs);
		return NULL;
	}
	if (nargs == 2) {
		if (!PyUnicode_Check(args[1])) {
			PyErr_SetString(PyExc_TypeError, "_level(): the argument name must be a str");
			return NULL;
		}
		what = PyUnicode_AsUTF8(args[1]);
		if (!what)
			return NULL;
	}
	if (level_arg(args[0], what, &v))
		return NULL;
	return PyLong_FromLong(v);
}

static PyMethodDef module_methods[] = {
	{ "soc_names", mod_soc_names, METH_NOARGS, "Names of the supported SoC tables." },
	{ "_function", mod_function, METH_O,
	  "_function(x) -> int: a function to select as set_function takes it; TypeError/ValueError." },
	{ "_pull", mod_pull, METH_O, "_pull(x) -> int: a pull as set_pull takes it; TypeError/ValueError." },
	{ "_edge", mod_edge, METH_O,
	  "_edge(x) -> int: edges to watch (a name in any case, or 1..3); TypeError/ValueError." },
	{ "_level", (PyCFunction)(void (*)(void))mod_level, METH_FASTCALL,
	  "_level(value, what='value') -> 0 or 1: a level as Pin.value takes it (bool, or an int "
	  "0/1 incl. __index__ types); TypeError/ValueError otherwise." },
	{ "_own_methods", mod_own_methods, METH_O,
	  "_own_methods(cls): give a subclass its own descriptors of the inherited C methods." },
	{ NULL, NULL, 0, NULL },
};

/* FUNC_IN .. FUNC_NONE, PULL_OFF .. PULL_KEEPER, EDGE_RISING .. EDGE_BOTH: the C enums' values. */
static int add_enum_constants(PyObject *m)
{
	static const struct {
		const char *prefix;
		enum_name_fn name_of;
		int first, limit;
	} enums[] = {
		{ "FUNC_", func_name_of, 0, FGPIO_FUNC_COUNT },
		{ "PULL_", pull_name_of, 0, FGPIO_PULL_COUNT },
		{ "EDGE_", edge_name_of, FGPIO_EDGE_RISING, FGPIO_EDGE_BOTH + 1 },
	};

	for (size_t e = 0; e < sizeof(enums) / sizeof(enums[0]); e++) {
		for (int v = enums[e].first; v < enums[e].limit; v++) {
			char name[32];
			size_t k = (size_t)snprintf(name, sizeof(name), "%s%s", enums[e].prefix,
						    enums[e].name_of(v));

			for (size_t i = 0; i < k && i < sizeof(name); i++)
				name[i] = (char)toupper((unsigned char)name[i]);
			if (PyModule_AddIntConstant(m, name, v))
				return -1;
		}
	}
	return 0;
}

static int module_exec(PyObject *m)
{
	struct module_state *st = PyModule_GetState(m);

	st->unsupported_soc_error = PyErr_NewExceptionWithDoc(
		"fastgpio.UnsupportedSoCError",
		"No register table for this hardware (errno ENODEV); /dev/mem was not mapped.",
		PyExc_OSError, NULL);
	st->not_supported_error = PyErr_NewExceptionWithDoc(
		"fastgpio.NotSupportedError",
		"The operation is not possible on this SoC or backend (errno ENOTSUP).", PyExc_OSError, NULL);
	st->closed_error = PyErr_NewExceptionWithDoc("fastgpio.ChipClosedError",
						     "Operation on a closed Chip or one of its pins.",
						     PyExc_ValueError, NULL);
	st->busy_error = PyErr_NewExceptionWithDoc(
		"fastgpio.LineBusyError",
		"The line is held by another consumer: a driver, another program, or another thread "
		"waiting on it (errno EBUSY).", PyExc_OSError, NULL);
	if (!st->unsupported_soc_error || !st->not_supported_error || !st->closed_error ||
	    !st->busy_error)
		return -1;
	st->chip_type = PyType_FromModuleAndSpec(m, &chip_spec, NULL);
	if (!st->chip_type)
		return -1;
	st->pin_type = PyType_FromModuleAndSpec(m, &pin_spec, NULL);
	if (!st->pin_type)
		return -1;
	PyObject *table_type = PyType_FromModuleAndSpec(m, &table_spec, NULL);

	if (!table_type)
		return -1;
	int added = PyModule_AddObjectRef(m, "ChannelTable", table_type);

	Py_DECREF(table_type);
	if (added)
		return -1;
	if (PyModule_AddObjectRef(m, "Chip", st->chip_type) ||
	    PyModule_AddObjectRef(m, "Pin", st->pin_type) ||
	    PyModule_AddObjectRef(m, "UnsupportedSoCError", st->unsupported_soc_error) ||
	    PyModule_AddObjectRef(m, "NotSupportedError", st->not_supported_error) ||
	    PyModule_AddObjectRef(m, "ChipClosedError", st->closed_error) ||
	    PyModule_AddObjectRef(m, "LineBusyError", st->busy_error))
		return -1;

	PyObject *funcs = PyTuple_New(FGPIO_FUNC_COUNT);

	if (!funcs)
		return -1;
	for (int f = 0; f < FGPIO_FUNC_COUNT; f++)
		PyTuple_SET_ITEM(funcs, f, PyUnicode_FromString(fgpio_func_name((enum fgpio_func)f)));
	int r = PyModule_AddObjectRef(m, "FUNCTION_NAMES", funcs);

	Py_DECREF(funcs);
	if (r)
		return -1;
	PyObject *pulls = PyTuple_New(FGPIO_PULL_COUNT);

	if (!pulls)
		return -1;
	for (int p = 0; p < FGPIO_PULL_COUNT; p++)
		PyTuple_SET_ITEM(pulls, p, PyUnicode_FromString(fgpio_pull_name((enum fgpio_pull)p)));
	r = PyModule_AddObjectRef(m, "PULL_NAMES", pulls);
	Py_DECREF(pulls);
	if (r)
		return -1;
	return add_enum_constants(m);
}

static int module_traverse(PyObject *m, visitproc visit, void *arg)
{
	struct module_state *st = PyModule_GetState(m);

	Py_VISIT(st->chip_type);
	Py_VISIT(st->pin_type);
	Py_VISIT(st->unsupported_soc_error);
	Py_VISIT(st->not_supported_error);
	Py_VISIT(st->closed_error);
	Py_VISIT(st->busy_error);
	return 0;
}

static int module_clear(PyObject *m)
{
	struct module_state *st = PyModule_GetState(m);

	Py_CLEAR(st->chip_type);
	Py_CLEAR(st->pin_type);
	Py_CLEAR(st->unsupported_soc_error);
	Py_CLEAR(st->not_supported_error);
	Py_CLEAR(st->closed_error);
	Py_CLEAR(st->busy_error);
	return 0;
}

static void module_free(void *m)
{
	module_clear((PyObject *)m);
}

static PyModuleDef_Slot module_slots[] = {
	{ Py_mod_exec, module_exec },
#ifdef Py_mod_multiple_interpreters
	{ Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED },
#endif
#ifdef Py_mod_gil
	/*
	 * Not yet declared free-threading safe: a Chip closed in one thread while
	 * another uses it needs more than the chip lock. Until that is proven (with
	 * a test from 8 threads), keep the GIL.
	 */
	{ Py_mod_gil, Py_MOD_GIL_USED },
#endif
	{ 0, NULL },
};

static struct PyModuleDef core_module = {
	PyModuleDef_HEAD_INIT,
	.m_name = "fastgpio._core",
	.m_doc = "Private extension of fastgpio; use the fastgpio package.",
	.m_size = sizeof(struct module_state),
	.m_methods = module_methods,
	.m_slots = module_slots,
	.m_traverse = module_traverse,
	.m_clear = module_clear,
	.m_free = module_free,
};

PyMODINIT_FUNC PyInit__core(void)
{
	return PyModuleDef_Init(&core_module);
}

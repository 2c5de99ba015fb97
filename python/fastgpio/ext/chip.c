/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/chip.c - the Chip type: opening and closing, line and
 * bank operations, functions and pulls, edge-event plumbing for fastgpio/_events.py.
 * Its waveform and sampling methods are in wave.c.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "core.h"

/* CLOCK_MONOTONIC in ns: the time left of an event wait a signal interrupted. */
static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/*
 * The Chip methods that use the chip: a wrapper holds it for the call
 * (chip_hold: ChipClosedError once closing; counted in free-threaded builds,
 * so that close() waits) and the body, NAME_body, gets it as c.
 */
#define CHIP_METHOD_O(name) \
	static PyObject *name##_body(ChipObject *self, struct fgpio_chip *c, PyObject *arg); \
	static PyObject *name(ChipObject *self, PyObject *arg) \
	{ \
		struct fgpio_chip *c = chip_hold(self); \
		if (!c) \
			return NULL; \
		PyObject *r = name##_body(self, c, arg); \
		chip_release(self); \
		return r; \
	} \
	static PyObject *name##_body(ChipObject *self, struct fgpio_chip *c, PyObject *arg)
#define CHIP_METHOD_NOARGS(name) CHIP_METHOD_O(name)
#define CHIP_METHOD_FAST(name) \
	static PyObject *name##_body(ChipObject *self, struct fgpio_chip *c, PyObject *const *args, \
				     Py_ssize_t nargs); \
	static PyObject *name(ChipObject *self, PyObject *const *args, Py_ssize_t nargs) \
	{ \
		struct fgpio_chip *c = chip_hold(self); \
		if (!c) \
			return NULL; \
		PyObject *r = name##_body(self, c, args, nargs); \
		chip_release(self); \
		return r; \
	} \
	static PyObject *name##_body(ChipObject *self, struct fgpio_chip *c, PyObject *const *args, \
				     Py_ssize_t nargs)

static int optional_path(PyObject *obj, void *out)
{
	if (obj == Py_None) {
		*(PyObject **)out = NULL;
		return 1;
	}
	return PyUnicode_FSConverter(obj, out);
}

int chip_raise_closed(ChipObject *self)
{
	struct module_state *st = state_of_type(Py_TYPE(self));

	PyErr_SetString(st ? st->closed_error : PyExc_ValueError, "operation on a closed Chip");
	return 1;
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
#ifdef Py_GIL_DISABLED
	pthread_mutex_init(&self->pins_lock, NULL);
#endif
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
#ifdef Py_GIL_DISABLED
	pthread_mutex_destroy(&self->pins_lock);
#endif
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
	struct fgpio_chip *c = __atomic_exchange_n(&self->c, NULL, __ATOMIC_SEQ_CST);

	if (c)
		__atomic_store_n(&self->dying, c, __ATOMIC_SEQ_CST);
	else
		c = __atomic_load_n(&self->dying, __ATOMIC_SEQ_CST);
	/* This close, or one begun in another thread, waits for the calls in progress. */
	while (c && __atomic_load_n(&self->dying, __ATOMIC_SEQ_CST) == c &&
	       __atomic_load_n(&self->busy, __ATOMIC_SEQ_CST)) {
		/* Each round: a wave or a wait that began just before closing is caught too. */
		(void)fgpio_chip_wave_cancel(c);
		(void)fgpio_chip_event_cancel(c);
		Py_BEGIN_ALLOW_THREADS
		struct timespec ts = { 0, 1000000 };

		nanosleep(&ts, NULL);
		Py_END_ALLOW_THREADS
	}
	if (c)
		pins_wait_idle(self);
	/* Of two closes that waited, the one that takes dying frees it. */
	if (c && __atomic_compare_exchange_n(&self->dying, &c, NULL, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		fgpio_chip_close(c);
	Py_RETURN_NONE;
}

/* _stop_wave() -> bool: cancels the waves playing on this chip (True: there was one). */
CHIP_METHOD_NOARGS(chip_stop_wave)
{
	(void)arg;
	int r = fgpio_chip_wave_cancel(c);

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
	pins_forked(self);
	struct fgpio_chip *c = __atomic_exchange_n(&self->dying, NULL, __ATOMIC_SEQ_CST);

	fgpio_chip_close(c);
	Py_RETURN_NONE;
}

/* _watch(line, edge, debounce_us) -> fd: start queuing edge events of a line. */
CHIP_METHOD_FAST(chip_watch)
{
	unsigned line;
	int edge;
	uint32_t debounce;

	if (!nargs_ok("_watch", nargs, 3))
		return NULL;
	if (line_arg(self, c, args[0], &line) || edge_arg(args[1], &edge) ||
	    u32_arg(args[2], "debounce_us", &debounce))
		return NULL;
	int fd = fgpio_chip_watch(c, line, edge, debounce);

	if (fd < 0)
		return chip_fail(self);
	return PyLong_FromLong(fd);
}

/* _unwatch(line): stop watching a line. */
CHIP_METHOD_O(chip_watching)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	int r = fgpio_chip_watching(c, line);

	if (r < 0)
		return chip_fail(self);
	return PyBool_FromLong(r);
}

CHIP_METHOD_O(chip_unwatch)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	if (fgpio_chip_unwatch(c, line))
		return chip_fail(self);
	Py_RETURN_NONE;
}

/*
 * _event_read(line, timeout_ns) -> (edge, timestamp_ns, line, seqno) or None:
 * the oldest queued event, waiting up to timeout_ns (< 0 forever) with the
 * GIL released.
 */
CHIP_METHOD_FAST(chip_event_read)
{
	unsigned line;
	long long timeout;
	struct fgpio_event ev;

	if (!nargs_ok("_event_read", nargs, 2))
		return NULL;
	if (line_arg(self, c, args[0], &line))
		return NULL;
	timeout = PyLong_AsLongLong(args[1]);
	if (timeout == -1 && PyErr_Occurred())
		return NULL;
	int r, err = 0;
	uint64_t deadline = timeout < 0 ? UINT64_MAX : now_ns() + (uint64_t)timeout;

	for (;;) {
		/* Counted with the GIL too: the wait releases it. */
		if (!chip_enter(self))
			return NULL;
		Py_BEGIN_ALLOW_THREADS
		r = fgpio_chip_event_read(c, line, &ev, (int64_t)timeout);
		err = errno;
		chip_leave(self);
		Py_END_ALLOW_THREADS
		if (r >= 0 || err != EINTR)
			break;
		/*
		 * A signal arrived (in the main thread: the kernel prefers it for a
		 * process's signals). Its Python handler runs now: Ctrl-C raises
		 * KeyboardInterrupt at once, other handlers return and the wait
		 * goes on for the time left.
		 */
		if (PyErr_CheckSignals() < 0)
			return NULL;
		if (deadline != UINT64_MAX) {
			uint64_t t = now_ns();

			timeout = deadline > t ? (long long)(deadline - t) : 0;
		}
	}
	if (r < 0)
		return raise_errno(Py_TYPE(self), err);
	if (r == 0)
		Py_RETURN_NONE;
	return Py_BuildValue("(iKIK)", ev.edge, (unsigned long long)ev.timestamp_ns, ev.line,
			     (unsigned long long)ev.seqno);
}

/* _line_owner(line) -> consumer name ('' unnamed) or None when free. */
CHIP_METHOD_O(chip_line_owner)
{
	unsigned line;
	char consumer[64];

	if (line_arg(self, c, arg, &line))
		return NULL;
	int r = fgpio_chip_line_owner(c, line, consumer, sizeof(consumer));

	if (r < 0)
		return chip_fail(self);
	if (r == 0)
		Py_RETURN_NONE;
	return PyUnicode_DecodeUTF8(consumer, (Py_ssize_t)strlen(consumer), "replace");
}

/* The state of a PWM channel as a dict (the fields of struct fgpio_pwm_state). */
static PyObject *pwm_state_dict(const struct fgpio_pwm_state *st)
{
	return Py_BuildValue("{sKsKsIsIsIsIsssIsIsOsisOsO}",
			     "period_ns", (unsigned long long)st->period_ns,
			     "duty_ns", (unsigned long long)st->duty_ns,
			     "period_ticks", st->period_ticks, "duty_ticks", st->duty_ticks,
			     "source_hz", st->source_hz, "divisor", st->divisor,
			     "source", st->source ? st->source : "",
			     "block", st->block, "channel", st->channel,
			     "enabled", st->enabled ? Py_True : Py_False,
			     "polarity", st->polarity,
			     "mark_space", st->mark_space ? Py_True : Py_False,
			     "muxed", st->muxed ? Py_True : Py_False);
}

/* _pwm_find(line) -> dict: the line's hardware PWM output (struct fgpio_pwm_output). */
CHIP_METHOD_O(chip_pwm_find)
{
	unsigned line;
	struct fgpio_pwm_output o;

	if (line_arg(self, c, arg, &line))
		return NULL;
	if (fgpio_chip_pwm_find(c, line, &o))
		return chip_fail(self);
	return Py_BuildValue("{sIsIsisssssssO}", "block", o.block, "channel", o.channel,
			     "function", (int)o.func, "block_name", o.block_name,
			     "dt_node", o.dt_node, "driver", o.driver,
			     "kernel", o.kernel ? Py_True : Py_False);
}

/* _pwm_apply(line, period_ns, duty_ns, polarity, enabled, force) -> state dict. */
CHIP_METHOD_FAST(chip_pwm_apply)
{
	unsigned line;
	struct fgpio_pwm_config cfg;
	struct fgpio_pwm_state st;
	int force;

	memset(&cfg, 0, sizeof(cfg));
	if (!nargs_ok("_pwm_apply", nargs, 6))
		return NULL;
	if (line_arg(self, c, args[0], &line) || u64_arg(args[1], "period_ns", &cfg.period_ns) ||
	    u64_arg(args[2], "duty_ns", &cfg.duty_ns) ||
	    level_arg(args[3], "polarity", &cfg.polarity) ||
	    level_arg(args[4], "enabled", &cfg.enabled) || level_arg(args[5], "force", &force))
		return NULL;
	cfg.flags = force ? FGPIO_PWM_FORCE : 0;
	if (fgpio_chip_pwm_apply(c, line, &cfg, &st))
		return chip_fail(self);
	return pwm_state_dict(&st);
}

/* _pwm_state(line) -> state dict. */
CHIP_METHOD_O(chip_pwm_state)
{
	unsigned line;
	struct fgpio_pwm_state st;

	if (line_arg(self, c, arg, &line))
		return NULL;
	if (fgpio_chip_pwm_get_state(c, line, &st))
		return chip_fail(self);
	return pwm_state_dict(&st);
}

static PyObject *chip_get_closed(ChipObject *self, void *unused)
{
	(void)unused;
	return PyBool_FromLong(chip_now(self) == NULL);
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
	struct fgpio_chip *c = chip_hold(self);

	if (!c)
		return NULL;
	unsigned n = fgpio_chip_num_banks(c);

	chip_release(self);
	return PyLong_FromUnsignedLong(n);
}

CHIP_METHOD_NOARGS(chip_info_dict)
{
	struct fgpio_chip_info info;
	struct fgpio_soc_info si;

	(void)arg;
	if (fgpio_chip_get_info(c, &info) || fgpio_chip_get_soc_info(c, &si))
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

CHIP_METHOD_O(chip_line)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	return PyLong_FromUnsignedLong(line);
}

CHIP_METHOD_O(chip_set)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	if (fgpio_chip_set(c, line))
		return chip_fail(self);
	Py_RETURN_NONE;
}

CHIP_METHOD_O(chip_clear)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	if (fgpio_chip_clear(c, line))
		return chip_fail(self);
	Py_RETURN_NONE;
}

CHIP_METHOD_FAST(chip_write)
{
	unsigned line;

	if (!nargs_ok("write", nargs, 2))
		return NULL;
	int v;

	if (line_arg(self, c, args[0], &line) || level_arg(args[1], "value", &v))
		return NULL;
	if (fgpio_chip_write(c, line, v))
		return chip_fail(self);
	Py_RETURN_NONE;
}

CHIP_METHOD_O(chip_read)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	int v = fgpio_chip_read(c, line);

	if (v < 0)
		return chip_fail(self);
	return PyLong_FromLong(v);
}

CHIP_METHOD_FAST(chip_bank_write)
{
	unsigned bank;
	uint32_t mask, values;

	if (!nargs_ok("bank_write", nargs, 3))
		return NULL;
	if (small_arg(args[0], "bank", &bank) || u32_arg(args[1], "mask", &mask) ||
	    u32_arg(args[2], "values", &values))
		return NULL;
	if (fgpio_chip_bank_write(c, bank, mask, values))
		return chip_fail(self);
	Py_RETURN_NONE;
}

CHIP_METHOD_O(chip_bank_read)
{
	unsigned bank;
	uint32_t v;

	if (small_arg(arg, "bank", &bank))
		return NULL;
	if (fgpio_chip_bank_read(c, bank, &v))
		return chip_fail(self);
	return PyLong_FromUnsignedLong(v);
}

CHIP_METHOD_O(chip_bank_lines)
{
	unsigned bank, first, count;

	if (small_arg(arg, "bank", &bank))
		return NULL;
	if (fgpio_chip_bank_lines(c, bank, &first, &count))
		return chip_fail(self);
	return Py_BuildValue("(II)", first, count);
}

CHIP_METHOD_FAST(chip_set_function)
{
	unsigned line;
	int f;

	if (!nargs_ok("set_function", nargs, 2))
		return NULL;
	if (line_arg(self, c, args[0], &line) || func_arg(args[1], &f))
		return NULL;
	if (fgpio_chip_set_func(c, line, (enum fgpio_func)f))
		return chip_fail(self);
	Py_RETURN_NONE;
}

/* _check_function(line, function): raises what set_function would, writing nothing. */
CHIP_METHOD_FAST(chip_check_function)
{
	unsigned line;
	int f;

	if (!nargs_ok("_check_function", nargs, 2))
		return NULL;
	if (line_arg(self, c, args[0], &line) || func_arg(args[1], &f))
		return NULL;
	if (fgpio_chip_check_func(c, line, (enum fgpio_func)f))
		return chip_fail(self);
	Py_RETURN_NONE;
}

CHIP_METHOD_O(chip_get_function)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	int f = fgpio_chip_get_func(c, line);

	if (f < 0)
		return chip_fail(self);
	return PyLong_FromLong(f);
}

CHIP_METHOD_FAST(chip_set_pull)
{
	unsigned line;
	int p;

	if (!nargs_ok("set_pull", nargs, 2))
		return NULL;
	if (line_arg(self, c, args[0], &line) || pull_arg(args[1], &p))
		return NULL;
	/*
	 * The GIL stays held although the BCM2835 sequence waits ~20 µs: with it
	 * released another thread could close() the chip under us (use after free).
	 */
	if (fgpio_chip_set_pull(c, line, (enum fgpio_pull)p))
		return chip_fail(self);
	Py_RETURN_NONE;
}

CHIP_METHOD_O(chip_get_pull)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	int p = fgpio_chip_get_pull(c, line);

	if (p < 0)
		return chip_fail(self);
	return PyLong_FromLong(p);
}

/* 1 / 0: the line's input receiver is on / off; NotSupportedError where the table cannot tell. */
CHIP_METHOD_O(chip_get_input_enable)
{
	unsigned line;

	if (line_arg(self, c, arg, &line))
		return NULL;
	int on = fgpio_chip_get_input_enable(c, line);

	if (on < 0)
		return chip_fail(self);
	return PyBool_FromLong(on);
}

CHIP_METHOD_NOARGS(chip_header)
{
	(void)arg;
	unsigned n = fgpio_chip_num_header_pins(c);
	PyObject *list = PyList_New(n);

	if (!list)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		const char *label;
		int line;

		if (fgpio_chip_header_pin(c, i, &label, &line)) {
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


PyMethodDef chip_methods[] = {
	{ "close", (PyCFunction)chip_close, METH_NOARGS,
	  "Unmap the registers once the calls in progress have ended (waves cancelled, edge "
	  "waiters woken); nothing new starts meanwhile. Idempotent." },
	{ "_stop_wave", (PyCFunction)chip_stop_wave, METH_NOARGS,
	  "_stop_wave() -> bool: cancel the waves playing on this chip (True: there was one)." },
	{ "_forked", (PyCFunction)chip_forked, METH_NOARGS,
	  "_forked(): in a fork() child, forget the calls of the parent's other threads." },
	{ "_info", (PyCFunction)chip_info_dict, METH_NOARGS, "Chip facts as a dict." },
	{ "line", (PyCFunction)chip_line, METH_O,
	  "line($self, line, /)\n--\n\nResolve a pin name or number to a line number." },
	{ "set", (PyCFunction)chip_set, METH_O, "set($self, line, /)\n--\n\nDrive a line high." },
	{ "clear", (PyCFunction)chip_clear, METH_O, "clear($self, line, /)\n--\n\nDrive a line low." },
	{ "write", (PyCFunction)(void (*)(void))chip_write, METH_FASTCALL,
	  "write($self, line, value, /)\n--\n\nDrive a line to a level: True/False or 0/1." },
	{ "read", (PyCFunction)chip_read, METH_O, "read($self, line, /)\n--\n\nLevel of a line (0 or 1)." },
	{ "bank_write", (PyCFunction)(void (*)(void))chip_bank_write, METH_FASTCALL,
	  "bank_write($self, bank, mask, values, /)\n--\n\nDrive the masked lines of a bank at once." },
	{ "bank_read", (PyCFunction)chip_bank_read, METH_O,
	  "bank_read($self, bank, /)\n--\n\nLevels of a bank's lines as an int." },
	{ "bank_lines", (PyCFunction)chip_bank_lines, METH_O,
	  "bank_lines($self, bank, /)\n--\n\n(first line, line count) of a bank." },
	{ "set_function", (PyCFunction)(void (*)(void))chip_set_function, METH_FASTCALL,
	  "set_function(line, function)" },
	{ "_check_function", (PyCFunction)(void (*)(void))chip_check_function, METH_FASTCALL,
	  "_check_function(line, function): raise what set_function would raise, writing nothing." },
	{ "_get_function", (PyCFunction)chip_get_function, METH_O, "Function of a line as an int." },
	{ "set_pull", (PyCFunction)(void (*)(void))chip_set_pull, METH_FASTCALL,
	  "set_pull($self, line, pull, /)\n--\n\nSet the bias of a line: a Pull, or its name or number." },
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
	/* hardware PWM */
	{ "_pwm_find", (PyCFunction)chip_pwm_find, METH_O,
	  "_pwm_find(line) -> dict: block, channel, function, block_name, dt_node, driver." },
	{ "_pwm_apply", (PyCFunction)(void (*)(void))chip_pwm_apply, METH_FASTCALL,
	  "_pwm_apply(line, period_ns, duty_ns, polarity, enabled, force) -> state dict." },
	{ "_pwm_state", (PyCFunction)chip_pwm_state, METH_O,
	  "_pwm_state(line) -> the PWM channel's state as a dict." },
	{ NULL, NULL, 0, NULL },
};

PyGetSetDef chip_getset[] = {
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

PyType_Spec chip_spec = {
	.name = "fastgpio._core.Chip",
	.basicsize = sizeof(ChipObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
	.slots = chip_slots,
};


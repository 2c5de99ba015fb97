/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/bench.c - the C loops of `fastgpio bench` (module
 * functions, not API).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <time.h>

#include "core.h"

/*
 * The ceiling rows of `fastgpio bench`: n iterations of a C loop over the
 * library's own line handle (fgpio_line_init, the mapping every other method
 * uses). stores: drive high, then low (2n level changes: one volatile store
 * each where the SoC has set/clear registers, the locked read-modify-write
 * otherwise); loads: n level reads. GIL released. Returns elapsed ns.
 */
static PyObject *bench_loop(PyObject *mod, PyObject *const *args, Py_ssize_t nargs,
			    const char *name, int loads)
{
	struct module_state *st = PyModule_GetState(mod);
	unsigned line;
	uint32_t n;
	struct fgpio_line h;

	if (!nargs_ok(name, nargs, 3))
		return NULL;
	if (!PyObject_TypeCheck(args[0], (PyTypeObject *)st->chip_type)) {
		PyErr_Format(PyExc_TypeError, "%s() needs a Chip, not %.100s", name,
			     Py_TYPE(args[0])->tp_name);
		return NULL;
	}
	ChipObject *self = (ChipObject *)args[0];

	args++;
	/* Counted from here, with the GIL too: the loop releases it. */
	struct fgpio_chip *c = chip_enter(self);

	if (!c)
		return NULL;
	if (line_arg(self, c, args[0], &line) || u32_arg(args[1], "n", &n)) {
		chip_leave(self);
		return NULL;
	}
	if (fgpio_line_init(c, line, &h)) {
		int e = errno;

		chip_leave(self);
		return raise_errno(Py_TYPE(self), e);
	}
	struct timespec t0, t1;
	volatile unsigned sink = 0;
	unsigned acc = 0;

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

static PyObject *bench_store_loop(PyObject *mod, PyObject *const *args, Py_ssize_t nargs)
{
	return bench_loop(mod, args, nargs, "_bench_store_loop", 0);
}

static PyObject *bench_load_loop(PyObject *mod, PyObject *const *args, Py_ssize_t nargs)
{
	return bench_loop(mod, args, nargs, "_bench_load_loop", 1);
}

PyMethodDef bench_functions[] = {
	{ "_bench_store_loop", (PyCFunction)(void (*)(void))bench_store_loop, METH_FASTCALL,
	  "_bench_store_loop(chip, line, n) -> elapsed_ns: n x (high, low) in a C loop (GIL released)." },
	{ "_bench_load_loop", (PyCFunction)(void (*)(void))bench_load_loop, METH_FASTCALL,
	  "_bench_load_loop(chip, line, n) -> elapsed_ns: n level reads in a C loop (GIL released)." },
	{ NULL, NULL, 0, NULL },
};


/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/args.c - argument conversions shared by the types: indexes,
 * levels, lines, enums. Each raises TypeError or ValueError with the argument's
 * name and returns -1.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "core.h"

int nargs_ok(const char *name, Py_ssize_t nargs, Py_ssize_t want)
{
	if (nargs == want)
		return 1;
	PyErr_Format(PyExc_TypeError, "%s() takes %zd arguments (%zd given)", name, want, nargs);
	return 0;
}

/*
 * Whether @obj is taken as an integer: an int or any object with __index__
 * (numpy integer scalars, int subclasses), as CPython's own APIs take them.
 * bool is not: chip.set(True) is a bug, not line 1.
 */
int is_index(PyObject *obj)
{
	return !PyBool_Check(obj) && (PyLong_Check(obj) || PyIndex_Check(obj));
}

/*
 * The value of an is_index() object as a long long; *overflow set (and no
 * exception) when it does not fit. Returns -1 with an exception on failure.
 */
int index_value(PyObject *obj, long long *v, int *overflow)
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
int level_arg(PyObject *obj, const char *what, int *out)
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
int line_arg(ChipObject *self, struct fgpio_chip *c, PyObject *obj, unsigned *line)
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
		int r = fgpio_chip_find_line(c, s);

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
int u32_arg(PyObject *obj, const char *what, uint32_t *out)
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

/* An unsigned 64-bit integer argument (nanoseconds; see is_index). */
int u64_arg(PyObject *obj, const char *what, uint64_t *out)
{
	if (!is_index(obj)) {
		PyErr_Format(PyExc_TypeError, "%s must be an int, not %.100s", what, Py_TYPE(obj)->tp_name);
		return -1;
	}
	PyObject *v = PyNumber_Index(obj);

	if (!v)
		return -1;
	unsigned long long u = PyLong_AsUnsignedLongLong(v);

	Py_DECREF(v);
	if (u == (unsigned long long)-1 && PyErr_Occurred()) {
		PyErr_Clear();
		PyErr_Format(PyExc_ValueError, "%s %R is outside 0..2**64-1", what, obj);
		return -1;
	}
	*out = (uint64_t)u;
	return 0;
}

int small_arg(PyObject *obj, const char *what, unsigned *out)
{
	uint32_t v;

	if (u32_arg(obj, what, &v))
		return -1;
	*out = v;
	return 0;
}

/* The names of one of the library's enums, by value (NULL: no such value). */

const char *func_name_of(int v)
{
	return fgpio_func_name((enum fgpio_func)v);
}

const char *pull_name_of(int v)
{
	return fgpio_pull_name((enum fgpio_pull)v);
}

const char *edge_name_of(int v)
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
int func_arg(PyObject *obj, int *out)
{
	return enum_arg(obj, "function", func_name_of, 0, FGPIO_FUNC_NONE, 0,
			"'in', 'out' or 'alt0'..'alt8'", out);
}

int pull_arg(PyObject *obj, int *out)
{
	return enum_arg(obj, "pull", pull_name_of, 0, FGPIO_PULL_COUNT, 0, "'off', 'up' or 'down'", out);
}

/* Edges to watch: "rising", "falling", "both" (any case) or 1..3. */
int edge_arg(PyObject *obj, int *edge)
{
	return enum_arg(obj, "edge", edge_name_of, FGPIO_EDGE_RISING, FGPIO_EDGE_BOTH + 1, 1,
			"'rising', 'falling' or 'both'", edge);
}


/* A C int argument that may be None (-> @none). */
int opt_int_arg(PyObject *obj, const char *what, int none, int lo, int hi, int *out)
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

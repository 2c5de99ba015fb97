/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/pin.c - the Pin type: a line handle whose on()/off()/value
 * are single register accesses where the SoC allows.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>

#include "core.h"

/*
 * The ints 0 and 1, which the value getter returns without a call:
 * CPython's cached small ints, shared by every interpreter of the process.
 */
PyObject *pin_levels[2];

int pin_levels_init(void)
{
	for (int v = 0; v < 2; v++) {
		if (!pin_levels[v])
			pin_levels[v] = PyLong_FromLong(v);
		if (!pin_levels[v])
			return -1;
	}
	return 0;
}

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

PyObject *pin_on(PinObject *self, PyObject *unused)
{
	(void)unused;
	if (self->h.set_reg && self->chip && self->chip->c) {
		*self->h.set_reg = self->h.mask;
		Py_RETURN_NONE;
	}
	return pin_slow_write(self, 1);
}

PyObject *pin_off(PinObject *self, PyObject *unused)
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

PyObject *pin_get_value(PinObject *self, void *unused)
{
	(void)unused;
	/* The one load of a mapped input register, tested in the order pin_level tests. */
	if (self->chip && self->chip->c && self->h.in_reg)
		return Py_NewRef(pin_levels[(*self->h.in_reg & self->h.mask) != 0]);
	int v = pin_level(self);

	if (v < 0)
		return NULL;
	return Py_NewRef(pin_levels[v]);
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

PyMethodDef pin_methods[] = {
	{ "on", (PyCFunction)pin_on, METH_NOARGS,
	  "on($self, /)\n--\n\nDrive the line high (one register store)." },
	{ "off", (PyCFunction)pin_off, METH_NOARGS,
	  "off($self, /)\n--\n\nDrive the line low (one register store)." },
	{ "toggle", (PyCFunction)pin_toggle, METH_NOARGS, "toggle($self, /)\n--\n\nInvert the line's level." },
	{ NULL, NULL, 0, NULL },
};

PyGetSetDef pin_getset[] = {
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

PyType_Spec pin_spec = {
	.name = "fastgpio._core.Pin",
	.basicsize = sizeof(PinObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
	.slots = pin_slots,
};


/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/channels.c - ChannelTable, fastgpio.RPi.GPIO's
 * output()/input() hot path.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "core.h"

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

/*
 * The Pin stored for @channel in @dict, or NULL (no exception) when the call
 * is not one for the fast path. End its use with table_pin_done(): in
 * free-threaded builds the reference is a strong one (another thread's
 * cleanup() may take the pin out of the dict meanwhile); with the GIL it is
 * borrowed, as nothing can run between the lookup and the access.
 */
static PinObject *table_pin(TableObject *self, PyObject *dict, PyObject *channel)
{
	if (!dict || !self->pin_type || !PyLong_CheckExact(channel))
		return NULL;
	PyObject *pin;
#ifdef Py_GIL_DISABLED
	if (PyDict_GetItemRef(dict, channel, &pin) < 0)
		PyErr_Clear();	/* an int hashes without error; be safe anyway */
#else
	pin = PyDict_GetItemWithError(dict, channel);	/* borrowed */
	if (!pin)
		PyErr_Clear();
#endif
	if (!pin)
		return NULL;
	if (PyObject_TypeCheck(pin, (PyTypeObject *)self->pin_type))
		return (PinObject *)pin;
#ifdef Py_GIL_DISABLED
	Py_DECREF(pin);
#endif
	return NULL;
}

static void table_pin_done(PinObject *pin)
{
#ifdef Py_GIL_DISABLED
	Py_DECREF(pin);
#else
	(void)pin;
#endif
}

static PyObject *table_output(TableObject *self, PyObject *const *args, Py_ssize_t nargs)
{
	if (nargs == 2 && (PyLong_CheckExact(args[1]) || PyBool_Check(args[1]))) {
		PinObject *pin = table_pin(self, self->outputs, args[0]);

		if (pin) {
			int v = PyObject_IsTrue(args[1]);	/* cannot fail for an int */
			PyObject *r = v ? pin_on(pin, NULL) : pin_off(pin, NULL);

			table_pin_done(pin);
			return r;
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

		if (pin) {
			PyObject *r = pin_get_value(pin, NULL);

			table_pin_done(pin);
			return r;
		}
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

PyType_Spec table_spec = {
	.name = "fastgpio._core.ChannelTable",
	.basicsize = sizeof(TableObject),
	.flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
	.slots = table_slots,
};


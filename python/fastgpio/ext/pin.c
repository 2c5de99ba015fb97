/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/pin.c - the Pin type: a line handle whose on()/off()/value
 * are single register accesses where the SoC allows.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <errno.h>
#include <pthread.h>
#include <sched.h>

#include "core.h"

/*
 * A register access of the fast path: one 32-bit load or store (relaxed
 * atomics on the volatile pointer compile to the plain instruction; other
 * threads may use the same set/clear register meanwhile).
 */
static inline void reg_store(volatile uint32_t *r, uint32_t v)
{
	__atomic_store_n(r, v, __ATOMIC_RELAXED);
}

static inline uint32_t reg_load(volatile uint32_t *r)
{
	return __atomic_load_n(r, __ATOMIC_RELAXED);
}

/*
 * The pin's use of its chip for one register access: 1 while the chip is
 * open (end it with pin_unuse()), 0 when closed or closing. Free-threaded
 * builds count the use in the pin itself, so that close() can wait for it
 * (see ChipObject); with the GIL the access cannot overlap close().
 */
#ifdef Py_GIL_DISABLED
static inline int pin_use(PinObject *self)
{
	__atomic_add_fetch(&self->busy, 1u, __ATOMIC_SEQ_CST);
	if (self->chip && chip_now(self->chip))
		return 1;
	__atomic_sub_fetch(&self->busy, 1u, __ATOMIC_RELEASE);
	return 0;
}

static inline void pin_unuse(PinObject *self)
{
	__atomic_sub_fetch(&self->busy, 1u, __ATOMIC_RELEASE);
}

static void pin_register(PinObject *self)
{
	ChipObject *c = self->chip;

	pthread_mutex_lock(&c->pins_lock);
	self->next = c->pins;
	if (c->pins)
		c->pins->pprev = &self->next;
	self->pprev = &c->pins;
	c->pins = self;
	pthread_mutex_unlock(&c->pins_lock);
}

static void pin_unregister(PinObject *self)
{
	ChipObject *c = self->chip;

	if (!c)
		return;
	/* pprev under the lock too: a neighbour's unregister rewrites it. */
	pthread_mutex_lock(&c->pins_lock);
	if (self->pprev) {
		*self->pprev = self->next;
		if (self->next)
			self->next->pprev = self->pprev;
		self->next = NULL;
		self->pprev = NULL;
	}
	pthread_mutex_unlock(&c->pins_lock);
}

/*
 * A pin's use is a few instructions with no way to block or reach a safe
 * point inside, so the wait only yields, keeping its thread state: a
 * stop-the-world pause meanwhile waits for it, which ends by itself.
 */
void pins_wait_idle(ChipObject *self)
{
	pthread_mutex_lock(&self->pins_lock);
	for (PinObject *p = self->pins; p; p = p->next) {
		while (__atomic_load_n(&p->busy, __ATOMIC_SEQ_CST))
			sched_yield();
	}
	pthread_mutex_unlock(&self->pins_lock);
}

void pins_forked(ChipObject *self)
{
	/* Only this thread exists now: the lock may have been held by another. */
	pthread_mutex_init(&self->pins_lock, NULL);
	for (PinObject *p = self->pins; p; p = p->next)
		__atomic_store_n(&p->busy, 0u, __ATOMIC_SEQ_CST);
}
#else
static inline int pin_use(PinObject *self)
{
	return self->chip && self->chip->c;
}

static inline void pin_unuse(PinObject *self)
{
	(void)self;
}

static void pin_register(PinObject *self)
{
	(void)self;
}

static void pin_unregister(PinObject *self)
{
	(void)self;
}

void pins_wait_idle(ChipObject *self)
{
	(void)self;
}

void pins_forked(ChipObject *self)
{
	(void)self;
}
#endif

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
	/* Held until the pin is registered: a close() meanwhile waits for it, then for the pin. */
	struct fgpio_chip *fc = chip_hold(c);

	if (!fc)
		return NULL;
	PinObject *self = NULL;

	if (line_arg(c, fc, line_obj, &line))
		goto out;
	self = (PinObject *)type->tp_alloc(type, 0);
	if (!self)
		goto out;
	if (fgpio_line_init(fc, line, &self->h)) {
		int e = errno;

		Py_CLEAR(self);	/* runs the destructor, which may change errno */
		raise_errno(type, e);
		goto out;
	}
	Py_INCREF(chip);
	self->chip = c;
	pin_register(self);
out:
	chip_release(c);
	return (PyObject *)self;
}

static void pin_dealloc(PinObject *self)
{
	PyTypeObject *tp = Py_TYPE(self);

	PyObject_GC_UnTrack(self);
	pin_unregister(self);
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
	pin_unregister(self);
	Py_CLEAR(self->chip);
	return 0;
}

/* ChipClosedError for a pin whose chip was closed (or that was cleared); NULL. */
static PyObject *pin_raise_dead(PinObject *self)
{
	struct module_state *st = state_of_type(Py_TYPE(self));

	PyErr_SetString(st ? st->closed_error : PyExc_ValueError, "operation on a pin of a closed Chip");
	return NULL;
}

/* The chip for a call without a register of its own (chip_hold: end it with chip_release()). */
static struct fgpio_chip *pin_hold(PinObject *self)
{
	struct fgpio_chip *c = self->chip ? chip_hold(self->chip) : NULL;

	if (!c) {
		PyErr_Clear();	/* the chip's own message names the chip, not the pin */
		pin_raise_dead(self);
	}
	return c;
}

static PyObject *pin_slow_write(PinObject *self, int v)
{
	struct fgpio_chip *c = pin_hold(self);

	if (!c)
		return NULL;
	int r = fgpio_chip_write(c, self->h.line, v), e = errno;

	chip_release(self->chip);
	if (r)
		return raise_errno(Py_TYPE(self), e);
	Py_RETURN_NONE;
}

PyObject *pin_on(PinObject *self, PyObject *unused)
{
	(void)unused;
	if (self->h.set_reg && pin_use(self)) {
		reg_store(self->h.set_reg, self->h.mask);
		pin_unuse(self);
		Py_RETURN_NONE;
	}
	return pin_slow_write(self, 1);
}

PyObject *pin_off(PinObject *self, PyObject *unused)
{
	(void)unused;
	if (self->h.clr_reg && pin_use(self)) {
		reg_store(self->h.clr_reg, self->h.mask);
		pin_unuse(self);
		Py_RETURN_NONE;
	}
	return pin_slow_write(self, 0);
}

/* The line's level, 0 or 1; -1 with an exception raised. */
static int pin_level(PinObject *self)
{
	if (self->h.in_reg && pin_use(self)) {
		int v = (reg_load(self->h.in_reg) & self->h.mask) != 0;

		pin_unuse(self);
		return v;
	}
	struct fgpio_chip *c = pin_hold(self);

	if (!c)
		return -1;
	int v = fgpio_chip_read(c, self->h.line), e = errno;

	chip_release(self->chip);
	if (v < 0)
		raise_errno(Py_TYPE(self), e);
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
	/* The one load of a mapped input register, as in pin_level. */
	if (self->h.in_reg && pin_use(self)) {
		PyObject *r = pin_levels[(reg_load(self->h.in_reg) & self->h.mask) != 0];

		pin_unuse(self);
		return Py_NewRef(r);
	}
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


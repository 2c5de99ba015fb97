/* SPDX-License-Identifier: MIT */
/*
 * python/fastgpio/ext/module.c - fastgpio._core, the private CPython extension
 * over libfastgpio: module state and setup, the errno -> exception mapping, the
 * module-level conversions. Thin by design; the public classes live in
 * fastgpio/_chip.py and subclass these types. One file per type: chip.c (and
 * wave.c), pin.c, channels.c; args.c converts arguments, bench.c holds the
 * benchmark loops.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <ctype.h>
#include <errno.h>

#include "core.h"
#include "gpiod_backend.h"

static struct PyModuleDef core_module;

struct module_state *state_of_type(PyTypeObject *tp)
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
PyObject *raise_errno_msg(PyTypeObject *tp, int err, const char *msg)
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

PyObject *raise_errno(PyTypeObject *tp, int err)
{
	return raise_errno_msg(tp, err, fgpio_last_error());
}

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
 * Sets descriptor @descr (a new reference, NULL: failed) as @cls's own
 * attribute @name unless @cls defines @name itself (in @own, its __dict__).
 */
static int own_attr(PyObject *cls, PyObject *own, const char *name, PyObject *(*make)(PyTypeObject *, void *),
		    void *def)
{
	PyObject *key = PyUnicode_FromString(name);
	int has = key ? PySequence_Contains(own, key) : -1;
	PyObject *descr = has == 0 ? make((PyTypeObject *)cls, def) : NULL;
	int r = descr ? PyObject_SetAttr(cls, key, descr) : has == 1 ? 0 : -1;

	Py_XDECREF(descr);
	Py_XDECREF(key);
	return r;
}

static PyObject *new_method(PyTypeObject *tp, void *def)
{
	return PyDescr_NewMethod(tp, def);
}

static PyObject *new_getset(PyTypeObject *tp, void *def)
{
	return PyDescr_NewGetSet(tp, def);
}

/*
 * _own_methods(cls): gives a Python subclass of Chip or Pin its own
 * descriptors for the C methods and properties it inherits (those it does
 * not override). CPython's specialised calls of C methods
 * (CALL_NO_KW_METHOD_DESCRIPTOR_* in 3.11, CALL_METHOD_DESCRIPTOR_* later)
 * require type(self) to be exactly the descriptor's type; for an inherited
 * descriptor of the base type every pin.on() fell back to the generic call
 * path with a subtype check (callgrind: about 140 more instructions per call
 * on 3.11). A property's descriptor checks its object's type on every get:
 * an exact match skips a walk of the MRO (pin.value: 17 instructions).
 */
static PyObject *mod_own_methods(PyObject *mod, PyObject *cls)
{
	struct module_state *st = PyModule_GetState(mod);
	PyMethodDef *defs;
	PyGetSetDef *props;

	if (!PyType_Check(cls)) {
		PyErr_SetString(PyExc_TypeError, "_own_methods() needs a class");
		return NULL;
	}
	PyTypeObject *tp = (PyTypeObject *)cls;

	if (PyType_IsSubtype(tp, (PyTypeObject *)st->pin_type)) {
		defs = pin_methods;
		props = pin_getset;
	} else if (PyType_IsSubtype(tp, (PyTypeObject *)st->chip_type)) {
		defs = chip_methods;
		props = chip_getset;
	} else {
		PyErr_SetString(PyExc_TypeError, "_own_methods() needs a subclass of Chip or Pin");
		return NULL;
	}
	PyObject *own = PyObject_GetAttrString(cls, "__dict__");
	int r = own ? 0 : -1;

	for (PyMethodDef *d = defs; r == 0 && d->ml_name; d++)
		r = own_attr(cls, own, d->ml_name, new_method, d);
	for (PyGetSetDef *g = props; r == 0 && g->name; g++)
		r = own_attr(cls, own, g->name, new_getset, g);
	Py_XDECREF(own);
	if (r < 0)
		return NULL;
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

static PyObject *mod_version(PyObject *mod, PyObject *unused)
{
	(void)mod;
	(void)unused;
	return PyUnicode_FromString(fgpio_version());
}

/* libgpiod_version() -> "libgpiod 2.1.3", the libgpiod loaded (at first use), or None. */
static PyObject *mod_libgpiod_version(PyObject *mod, PyObject *unused)
{
	const char *v = fgpio_gpiod_version();

	(void)mod;
	(void)unused;
	if (!v)
		Py_RETURN_NONE;
	return PyUnicode_FromString(v);
}

static PyMethodDef module_methods[] = {
	{ "_version", mod_version, METH_NOARGS, "_version() -> str: libfastgpio's fgpio_version()." },
	{ "libgpiod_version", mod_libgpiod_version, METH_NOARGS,
	  "The libgpiod this process loaded (\"libgpiod 2.1.3\"), or None when none is." },
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
	if (PyModule_AddFunctions(m, bench_functions) || pin_levels_init())
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
	 * Runs without the GIL on free-threaded builds: every call that uses a
	 * chip is counted so that close() waits for it (core.h), the C library's
	 * per-chip lock serialises read-modify-writes, and the module's own state
	 * is written only while the module is set up.
	 */
	{ Py_mod_gil, Py_MOD_GIL_NOT_USED },
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

/* SPDX-License-Identifier: MIT */
/*
 * src/pwm.c - hardware PWM, the generic part: argument checks, who owns the
 * block (the device tree, the kernel's driver), mapping the PWM blocks, the
 * line's mux. The registers are the family's (soc_<family>_pwm.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* @line's PWM output in the SoC's table, or NULL after recording why there is none. */
static const struct fgpio_pwm_pin *pwm_pin_of(const struct fgpio_chip *c, unsigned line)
{
	const struct fgpio_pwm_desc *d = c->soc->pwm;
	char lines[160] = "";
	size_t n = 0;

	if (fgpio_check_line(c, line))
		return NULL;
	if (!d) {
		fgpio_fail(ENOTSUP, "no hardware PWM on %s: %s", c->soc->name,
			   c->soc->pwm_unsupported ? c->soc->pwm_unsupported : "not supported");
		return NULL;
	}
	for (unsigned i = 0; i < d->npins; i++) {
		if (d->pins[i].line == line)
			return &d->pins[i];
		if (n < sizeof(lines))
			n += (size_t)snprintf(lines + n, sizeof(lines) - n, "%s%u", i ? ", " : "",
					      d->pins[i].line);
	}
	fgpio_fail(ENOTSUP, "%s GPIO%u has no hardware PWM output fastgpio drives; the PWM lines "
		   "are %s%s%s", c->soc->name, line, lines, c->soc->pwm_unsupported ? ". " : "",
		   c->soc->pwm_unsupported ? c->soc->pwm_unsupported : "");
	return NULL;
}

static int check_pwm_chip(const struct fgpio_chip *c)
{
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (c->backend == FGPIO_BACKEND_GPIOD)
		return fgpio_fail(ENOTSUP, "hardware PWM needs the SoC's PWM registers, which the gpiod "
				  "backend does not map; use the kernel's PWM driver through "
				  "/sys/class/pwm");
	if (c->backend == FGPIO_BACKEND_GPIOMEM)
		return fgpio_fail(ENOTSUP, "hardware PWM needs the PWM and clock registers, which %s "
				  "does not map (it maps the GPIO block only): open the chip with the "
				  "devmem backend (/dev/mem, as root), or enable the kernel's PWM "
				  "driver (dtoverlay=pwm or pwm-2chan) and use /sys/class/pwm",
				  c->device);
	return 0;
}

/* 1 when the tree enables the node @node ("okay"/"ok", or no status), 0 when absent or disabled. */
static int dt_node_enabled(const char *dt_root, const char *node)
{
	char prop[256];
	size_t len;
	unsigned char *v;

	if ((size_t)snprintf(prop, sizeof(prop), "%s/compatible", node) >= sizeof(prop))
		return 0;
	v = fgpio_dt_read(dt_root, prop, 4096, &len);
	if (!v)
		return errno == ENOENT ? 0 : 1;	/* present but unreadable: assume the kernel's */
	free(v);
	snprintf(prop, sizeof(prop), "%s/status", node);
	v = fgpio_dt_read(dt_root, prop, 64, &len);
	if (!v)
		return 1;	/* no status is "okay"; an unreadable one: assume enabled */
	v[len] = 0;
	int on = strcmp((char *)v, "okay") == 0 || strcmp((char *)v, "ok") == 0;

	free(v);
	return on;
}

/*
 * 1 when the running device tree gives PWM block @blk to the kernel (also
 * when that cannot be read: assume the kernel's), 0 when not. @node gets the
 * node's path ("" none).
 */
static int block_kernel(const struct fgpio_chip *c, unsigned blk, char *node, size_t len)
{
	if (!c->ops->pwm_node) {
		snprintf(node, len, "%s", c->soc->pwm->dt_nodes[blk]);
		return dt_node_enabled(c->dt_root, node);
	}
	if (c->ops->pwm_node(c, blk, node, len)) {
		char why[400];

		snprintf(why, sizeof(why), "%s", fgpio_last_error());
		snprintf(node, len, "a PWM node that cannot be read (%s), so may be the kernel's,", why);
		return 1;
	}
	return node[0] && dt_node_enabled(c->dt_root, node);
}

int fgpio_chip_pwm_find(const struct fgpio_chip *c, unsigned line, struct fgpio_pwm_output *out)
{
	if (!c)
		return fgpio_fail(EINVAL, "chip is NULL");
	if (!out)
		return fgpio_fail(EINVAL, "out is NULL");
	const struct fgpio_pwm_pin *p = pwm_pin_of(c, line);

	if (!p)
		return -1;
	memset(out, 0, sizeof(*out));
	out->block = p->block;
	out->channel = p->channel;
	out->func = (enum fgpio_func)(FGPIO_FUNC_ALT0 + p->alt);
	out->block_name = c->soc->pwm->blocks[p->block].name;
	out->dt_node = c->soc->pwm->dt_nodes[p->block];
	out->driver = c->soc->pwm->driver;
	char node[512];

	out->kernel = block_kernel(c, p->block, node, sizeof(node));
	return 0;
}

static int check_config(const struct fgpio_pwm_config *cfg)
{
	if (!cfg)
		return fgpio_fail(EINVAL, "config is NULL");
	for (size_t k = 0; k < FGPIO_ARRAY_SIZE(cfg->reserved); k++)
		if (cfg->reserved[k])
			return fgpio_fail(EINVAL, "fgpio_pwm_config.reserved[%zu] is not 0: zero the "
					  "configuration before filling it in", k);
	if (cfg->flags & ~FGPIO_PWM_FORCE)
		return fgpio_fail(EINVAL, "unknown PWM flags 0x%x", cfg->flags);
	if (cfg->polarity != FGPIO_PWM_NORMAL && cfg->polarity != FGPIO_PWM_INVERSED)
		return fgpio_fail(EINVAL, "invalid polarity %d (use normal 0 or inversed 1)",
				  cfg->polarity);
	if (cfg->enabled != 0 && cfg->enabled != 1)
		return fgpio_fail(EINVAL, "enabled must be 0 or 1, not %d", cfg->enabled);
	if (cfg->period_ns == 0 || cfg->period_ns > FGPIO_PWM_MAX_PERIOD_NS)
		return fgpio_fail(EINVAL, "period %llu ns is outside 1 ns .. %llu ns",
				  (unsigned long long)cfg->period_ns,
				  (unsigned long long)FGPIO_PWM_MAX_PERIOD_NS);
	if (cfg->duty_ns > cfg->period_ns)
		return fgpio_fail(EINVAL, "duty %llu ns is longer than the period %llu ns",
				  (unsigned long long)cfg->duty_ns, (unsigned long long)cfg->period_ns);
	return 0;
}

/* 0 when the kernel does not have @pin's block; -1 with EBUSY naming the driver otherwise. */
static int check_owner(const struct fgpio_chip *c, const struct fgpio_pwm_pin *pin)
{
	const struct fgpio_pwm_desc *d = c->soc->pwm;
	char node[512];

	if (block_kernel(c, pin->block, node, sizeof(node)))
		return fgpio_fail(EBUSY, "%s %s: the device tree enables %s for the kernel's %s "
				  "driver, which owns its registers; use /sys/class/pwm "
				  "(backend='sysfs' in Python), remove the pwm overlay, or pass "
				  "FGPIO_PWM_FORCE (force=True) to program it anyway",
				  c->soc->name, d->blocks[pin->block].name,
				  node, d->driver);
	return 0;
}

/* Maps the PWM and clock blocks on first use. Caller holds the lock. */
static int map_pwm_blocks(struct fgpio_chip *c)
{
	const struct fgpio_pwm_desc *d = c->soc->pwm;

	if (c->pwm_mapped)
		return 0;
	if (c->soc->nblocks > FGPIO_PWM_MAP_FIRST || FGPIO_PWM_MAP_FIRST + d->nblocks > FGPIO_MAX_BLOCKS)
		return fgpio_fail(EINVAL, "internal: %s's PWM blocks do not fit the map", c->soc->name);
	for (unsigned i = 0; i < d->nblocks; i++) {
		const struct fgpio_soc_block *b = &d->blocks[i];
		uint64_t phys = b->phys + ((b->flags & FGPIO_BLOCK_RANGES) ? c->base : 0);

		if (fgpio_chip_map_extra(c, FGPIO_PWM_MAP_FIRST + i, phys, b->size)) {
			char why[400];

			snprintf(why, sizeof(why), "%s", fgpio_last_error());
			for (unsigned k = 0; k < i; k++)
				fgpio_chip_unmap_extra(c, FGPIO_PWM_MAP_FIRST + k);
			return fgpio_fail(errno, "cannot map %s's %s block: %s", c->soc->name, b->name,
					  why);
		}
	}
	c->pwm_mapped = 1;
	return 0;
}

/* The checks every PWM call starts with: @line's output on a chip that can map it, or NULL. */
static const struct fgpio_pwm_pin *pwm_target(const struct fgpio_chip *c, unsigned line)
{
	return check_pwm_chip(c) ? NULL : pwm_pin_of(c, line);
}

static int pwm_map(struct fgpio_chip *c)
{
	fgpio_lock(c);
	int r = map_pwm_blocks(c);

	fgpio_unlock(c);
	return r;
}

/* state->muxed: whether @pin's line is on its PWM function now. */
static int read_mux(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct fgpio_pwm_state *st)
{
	int f = c->ops->get_func(c, c->line_bank[pin->line], c->line_bit[pin->line]);

	if (f < 0)
		return -1;
	st->muxed = f == FGPIO_FUNC_ALT0 + pin->alt;
	return 0;
}

int fgpio_chip_pwm_get_state(struct fgpio_chip *c, unsigned line, struct fgpio_pwm_state *st)
{
	const struct fgpio_pwm_pin *pin;

	if (!st)
		return fgpio_fail(EINVAL, "state is NULL");
	pin = pwm_target(c, line);
	if (!pin || pwm_map(c))
		return -1;
	memset(st, 0, sizeof(*st));
	if (c->ops->pwm_read(c, pin, st))
		return -1;
	return read_mux(c, pin, st);
}

int fgpio_chip_pwm_apply(struct fgpio_chip *c, unsigned line, const struct fgpio_pwm_config *cfg,
			 struct fgpio_pwm_state *st)
{
	const struct fgpio_pwm_pin *pin;
	struct fgpio_pwm_state tmp;
	enum fgpio_func alt;

	pin = pwm_target(c, line);
	if (!pin || check_config(cfg))
		return -1;
	alt = (enum fgpio_func)(FGPIO_FUNC_ALT0 + pin->alt);
	if (!(cfg->flags & FGPIO_PWM_FORCE) && check_owner(c, pin))
		return -1;
	/* The mux must be possible before the channel starts. */
	if (cfg->enabled && c->ops->check_func(c, c->line_bank[line], c->line_bit[line], alt))
		return -1;
	if (pwm_map(c))
		return -1;
	if (!st)
		st = &tmp;
	memset(st, 0, sizeof(*st));
	if (c->ops->pwm_apply(c, pin, cfg, st))
		return -1;
	/* The line goes to the PWM only once the channel runs as asked. */
	if (cfg->enabled && c->ops->set_func(c, c->line_bank[line], c->line_bit[line], alt))
		return -1;
	return read_mux(c, pin, st);
}

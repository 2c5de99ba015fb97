// SPDX-License-Identifier: MIT OR GPL-2.0
/*
 * vpi-systimer: the emulated Pi Zero's clock events, made safe against a
 * paused vCPU. Loaded by tests/vpi/guest/init on raspi0 only.
 *
 * The BCM2835 system timer raises its interrupt when the low 32 bits of its
 * 1 MHz counter equal a compare register. The kernel's driver
 * (drivers/clocksource/bcm2835_timer.c) writes counter + delta and never
 * checks the result: on silicon the few cycles between the read and the write
 * never exceed its 15 us minimum delta. Under QEMU the counter is host time
 * (hw/timer/bcm2835_systmr.c) and the vCPU thread can be descheduled between
 * the two accesses; the compare then lies behind the counter, the next match
 * is 2^32 us (71 minutes) away and the guest sleeps with its console silent.
 *
 * This module registers compare channel 1 (free for the ARM on the Pi; the
 * kernel uses 3, the VideoCore 0 and 2) as a better-rated clock event device,
 * which the tick core switches to at once. After each write it reads the
 * counter again and, if it has reached the match, returns -ETIME: the core
 * then programs a longer delta (and, after repeated retries, raises the
 * device's minimum delta), as for any timer of this kind. A write that was
 * late has always reached it by then, so none is missed; most of the writes
 * the check re-arms were in time (the counter moved on after the write), which
 * costs one more write and a later tick, never a lost one. "late" counts them.
 */
#include <linux/bits.h>
#include <linux/clockchips.h>
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_irq.h>

#define ST_CS		0x00	/* control/status: match bits, write 1 to clear */
#define ST_CLO		0x04	/* counter, low 32 bits */
#define ST_C1		0x10	/* compare channel 1 */
#define ST_M1		BIT(1)
#define ST_CHANNEL	1	/* index of channel 1's interrupt in the DT node */

static void __iomem *st_base;
static unsigned int late;
module_param(late, uint, 0444);
MODULE_PARM_DESC(late, "compare writes the counter had reached by the check after them (re-armed)");

static int vpi_st_set_next_event(unsigned long delta, struct clock_event_device *evt)
{
	u32 match = readl_relaxed(st_base + ST_CLO) + (u32)delta;

	writel_relaxed(match, st_base + ST_C1);
	if ((s32)(readl_relaxed(st_base + ST_CLO) - match) >= 0) {
		late++;
		return -ETIME;
	}
	return 0;
}

static struct clock_event_device vpi_st_evt = {
	.name		= "vpi-systimer-c1",
	.rating		= 400,	/* above the kernel driver's 300 */
	.features	= CLOCK_EVT_FEAT_ONESHOT,
	.set_next_event	= vpi_st_set_next_event,
	.owner		= THIS_MODULE,
};

static irqreturn_t vpi_st_interrupt(int irq, void *dev_id)
{
	struct clock_event_device *evt = dev_id;
	void (*handler)(struct clock_event_device *);

	if (!(readl_relaxed(st_base + ST_CS) & ST_M1))
		return IRQ_NONE;
	writel_relaxed(ST_M1, st_base + ST_CS);
	handler = READ_ONCE(evt->event_handler);
	if (handler)
		handler(evt);
	return IRQ_HANDLED;
}

static int __init vpi_st_init(void)
{
	struct device_node *np;
	u32 freq;
	int irq, ret;

	np = of_find_compatible_node(NULL, NULL, "brcm,bcm2835-system-timer");
	if (!np)
		return -ENODEV;
	ret = -EINVAL;
	if (of_property_read_u32(np, "clock-frequency", &freq) || !freq)
		goto out;
	ret = -ENXIO;
	irq = irq_of_parse_and_map(np, ST_CHANNEL);
	if (irq <= 0)
		goto out;
	ret = -ENOMEM;
	st_base = of_iomap(np, 0);
	if (!st_base)
		goto out;
	writel_relaxed(ST_M1, st_base + ST_CS);
	ret = request_irq(irq, vpi_st_interrupt, IRQF_TIMER, vpi_st_evt.name, &vpi_st_evt);
	if (ret) {
		iounmap(st_base);
		goto out;
	}
	vpi_st_evt.irq = irq;
	vpi_st_evt.cpumask = cpumask_of(0);
	clockevents_config_and_register(&vpi_st_evt, freq, 0xf, 0xffffffff);
	pr_info("vpi-systimer: clock events on compare channel 1 (irq %d, %u Hz)\n", irq, freq);
	ret = 0;
out:
	of_node_put(np);
	return ret;
}
/* no exit: the tick core holds the device (and this module) from now on */
module_init(vpi_st_init);

MODULE_DESCRIPTION("BCM2835 system timer clock events that survive a paused vCPU (emulated Pi Zero)");
MODULE_LICENSE("Dual MIT/GPL");

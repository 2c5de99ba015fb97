/* SPDX-License-Identifier: MIT */
/*
 * src/soc_bcm2835_pwm.h - the BCM2835 family's PWM operations
 * (src/soc_bcm2835_pwm.c), which its ops table (src/soc_bcm2835.c) points at.
 */
#ifndef FASTGPIO_SOC_BCM2835_PWM_H
#define FASTGPIO_SOC_BCM2835_PWM_H

#include "internal.h"

int fgpio_bcm_pwm_apply(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
			const struct fgpio_pwm_config *cfg, struct fgpio_pwm_state *st);
int fgpio_bcm_pwm_read(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct fgpio_pwm_state *st);

#endif /* FASTGPIO_SOC_BCM2835_PWM_H */

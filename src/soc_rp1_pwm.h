/* SPDX-License-Identifier: MIT */
/*
 * src/soc_rp1_pwm.h - RP1's PWM operations (src/soc_rp1_pwm.c), which its
 * ops table (src/soc_rp1.c) points at.
 */
#ifndef FASTGPIO_SOC_RP1_PWM_H
#define FASTGPIO_SOC_RP1_PWM_H

#include "internal.h"

int fgpio_rp1_pwm_apply(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin,
			const struct fgpio_pwm_config *cfg, struct fgpio_pwm_state *st);
int fgpio_rp1_pwm_read(struct fgpio_chip *c, const struct fgpio_pwm_pin *pin, struct fgpio_pwm_state *st);

#endif /* FASTGPIO_SOC_RP1_PWM_H */

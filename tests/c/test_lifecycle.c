/* SPDX-License-Identifier: MIT */
/*
 * tests/c/test_lifecycle.c - safety rules of a chip's life: every file the
 * library opens is O_CLOEXEC, no descriptor outlives open/close (success or
 * failure), fork() while another thread holds the chip lock leaves the child
 * a usable chip, and the child shares the parent's registers; fork() while
 * another thread plays a wave leaves the child a chip with no wave of its
 * own running (it can play one, and its close returns); non-NULL reserved
 * configuration fields are refused before anything is opened or mapped.
 *
 * O_CLOEXEC is checked by interposing open(): this executable's definition
 * wins over libc's for the statically linked library, records the flags of
 * every call made while `recording` is set, and forwards to the openat system
 * call. (opendir(), used by the RP1 locate() path, sets O_CLOEXEC inside libc.)
 */
#include <dirent.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "harness.h"
#include "internal.h"

#define PI4_GPIO 0xFE200000ull

static char *tmp;	/* the test directory (freed by the fork child too) */

static int recording;
static int opens_seen;
static int opens_without_cloexec;

static int forward_open(const char *path, int flags, va_list ap)
{
	mode_t mode = 0;

	if (flags & O_CREAT)
		mode = (mode_t)va_arg(ap, int);
	if (recording) {
		opens_seen++;
		if (!(flags & O_CLOEXEC)) {
			opens_without_cloexec++;
			fprintf(stderr, "open(\"%s\", 0x%x) without O_CLOEXEC\n", path, flags);
		}
	}
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

/*
 * With _FILE_OFFSET_BITS=64 glibc's <fcntl.h> may bind open() to the symbol
 * open64; this definition then gets that symbol too, the same one the
 * library's calls use (both are compiled with the same flags).
 */
int open(const char *path, int flags, ...)
{
	va_list ap;

	va_start(ap, flags);
	int r = forward_open(path, flags, ap);

	va_end(ap);
	return r;
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static struct fgpio_chip *open_cfg(const char *soc, const char *devmem, const char *gpiomem,
				   const char *dt)
{
	struct fgpio_config cfg;

	fgpio_config_init(&cfg);
	cfg.soc = soc;
	cfg.devmem = devmem;
	cfg.gpiomem = gpiomem;
	cfg.dt_root = dt ? dt : "/nonexistent-device-tree";
	return fgpio_chip_open(&cfg);
}

/* Opens that succeed and opens that fail at each stage; none leaks a descriptor. */
static void test_cloexec_and_no_fd_leak(const char *dir)
{
	char *pi4 = th_regfile(dir, "pi4.bin", PI4_GPIO + 0x1000);
	char *small = th_regfile(dir, "small.bin", 0x1000);
	char dt[4096], unknown[4096];

	snprintf(dt, sizeof(dt), "%s/dt", dir);
	mkdir(dt, 0755);
	th_dt_compatible(dt, "compatible", "raspberrypi,4-model-b\0brcm,bcm2711", 35);
	static const uint32_t ranges[] = { 0x7e000000, 0x0, 0xfe000000, 0x01800000 };
	static const uint32_t two = 2, one = 1;

	th_dt_cells(dt, "#address-cells", &two, 1);
	th_dt_cells(dt, "soc/#address-cells", &one, 1);
	th_dt_cells(dt, "soc/#size-cells", &one, 1);
	th_dt_cells(dt, "soc/ranges", ranges, 4);
	snprintf(unknown, sizeof(unknown), "%s/dt-unknown", dir);
	mkdir(unknown, 0755);
	th_dt_compatible(unknown, "compatible", "acme,widget\0", 12);

	int before = count_fds();

	recording = 1;
	for (int i = 0; i < 50; i++) {
		struct fgpio_chip *c;

		c = open_cfg("bcm2711", pi4, NULL, NULL);	/* explicit SoC */
		CHECK(c != NULL);
		fgpio_chip_close(c);
		c = open_cfg(NULL, pi4, NULL, dt);		/* detected, base from ranges */
		CHECK(c != NULL);
		fgpio_chip_close(c);
		c = open_cfg("bcm2837", NULL, small, NULL);	/* gpiomem */
		CHECK(c != NULL);
		fgpio_chip_close(c);
		CHECK(open_cfg("bcm2711", small, NULL, NULL) == NULL);	/* file too small */
		CHECK(open_cfg(NULL, pi4, NULL, unknown) == NULL);	/* unknown SoC */
		CHECK(open_cfg("z80", pi4, NULL, NULL) == NULL);	/* unknown name */
		CHECK(open_cfg("am335x", NULL, small, NULL) == NULL);	/* no gpiomem */
		CHECK(open_cfg("bcm2711", "/nonexistent/mem", NULL, NULL) == NULL);
		CHECK(open_cfg("am335x", "/dev/null", NULL, unknown) == NULL);	/* refused */
	}
	recording = 0;
	int after = count_fds();

	printf("lifecycle: %d opens by the library, %d without O_CLOEXEC; fds %d before, %d after\n",
	       opens_seen, opens_without_cloexec, before, after);
	CHECK(opens_seen >= 50 * 4);	/* the interposer really saw the library's opens */
	CHECK(opens_without_cloexec == 0);
	CHECK(before > 0 && after == before);
	free(pi4);
	free(small);
}

struct holder {
	struct fgpio_chip *c;
	pthread_mutex_t m;
	pthread_cond_t cv;
	int locked;
};

static void *hold_lock(void *arg)
{
	struct holder *h = arg;
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 300 * 1000 * 1000 };

	fgpio_lock(h->c);
	pthread_mutex_lock(&h->m);
	h->locked = 1;
	pthread_cond_signal(&h->cv);
	pthread_mutex_unlock(&h->m);
	nanosleep(&ts, NULL);	/* in the middle of a "read-modify-write" */
	fgpio_unlock(h->c);
	return NULL;
}

/*
 * fork() while another thread holds the chip lock: without the library's
 * pthread_atfork handler the child inherits a locked mutex whose owner does
 * not exist there, and its first read-modify-write hangs (the alarm ends it
 * and the test fails). With it, fork waits for the lock and the child's
 * set_func goes through - into the same registers the parent sees.
 */
static void test_fork_with_lock_held(const char *dir)
{
	char *f = th_regfile(dir, "fork.bin", PI4_GPIO + 0x1000);
	struct fgpio_chip *c = open_cfg("bcm2711", f, NULL, NULL);

	CHECK(c != NULL);
	if (!c)
		return;
	struct holder h = { .c = c, .locked = 0 };
	pthread_t th;

	pthread_mutex_init(&h.m, NULL);
	pthread_cond_init(&h.cv, NULL);
	pthread_create(&th, NULL, hold_lock, &h);
	pthread_mutex_lock(&h.m);
	while (!h.locked)
		pthread_cond_wait(&h.cv, &h.m);
	pthread_mutex_unlock(&h.m);

	pid_t pid = fork();

	if (pid == 0) {
		alarm(10);
		int r = fgpio_chip_set_func(c, 17, FGPIO_FUNC_OUT);	/* GPFSEL1 bits 21-23 */

		fgpio_chip_close(c);
		free(f);
		free(tmp);
		_exit(r == 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	int status = 0;

	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (WIFSIGNALED(status))
		fprintf(stderr, "fork child died of signal %d (hung on the chip lock?)\n", WTERMSIG(status));
	/* The child's store reached the shared mapping. */
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + 0x04), 1u << 21);
	pthread_join(th, NULL);
	/* The parent's chip still works after the fork. */
	CHECK(fgpio_chip_set_func(c, 18, FGPIO_FUNC_OUT) == 0);
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + 0x04), (1u << 21) | (1u << 24));
	pthread_mutex_destroy(&h.m);
	pthread_cond_destroy(&h.cv);
	fgpio_chip_close(c);
	free(f);
}

struct wave_thread {
	struct fgpio_chip *c;
	struct fgpio_wave_stats st;
	int r;
};

static void *long_wave(void *arg)
{
	struct wave_thread *w = arg;
	static const struct fgpio_wave_step steps[2] = { { 1u << 4, 0, 1000000 }, { 0, 1u << 4, 1000000 } };

	w->r = fgpio_chip_wave_play(w->c, 0, steps, 2, 10000, NULL, &w->st);	/* 20 s */
	return NULL;
}

/*
 * fork() while another thread plays a wave: the child inherits the count of
 * running waves, but not the thread. Without the library's reset the child's
 * close (which waits for running waves) never returns and the alarm kills
 * it; with it, the child has no wave to cancel, plays its own and closes.
 */
static void test_fork_with_wave_running(const char *dir)
{
	char *f = th_regfile(dir, "fork-wave.bin", PI4_GPIO + 0x1000);
	struct fgpio_chip *c = open_cfg("bcm2711", f, NULL, NULL);
	struct wave_thread w = { .c = c };
	pthread_t th;

	CHECK(c != NULL);
	if (!c)
		return;
	pthread_create(&th, NULL, long_wave, &w);
	while (!(__atomic_load_n(&c->wave_ctl, __ATOMIC_SEQ_CST) & FGPIO_WAVE_RUNNING_MASK))
		sched_yield();

	pid_t pid = fork();

	if (pid == 0) {
		alarm(10);
		static const struct fgpio_wave_step mine[1] = { { 1u << 9, 0, 0 } };
		struct fgpio_wave_stats st;
		int ok = fgpio_chip_wave_cancel(c) == 0;	/* the parent's wave is not the child's */

		ok = ok && fgpio_chip_wave_play(c, 1, mine, 1, 1, NULL, &st) == 0 && !st.cancelled;
		fgpio_chip_close(c);	/* waits for running waves: none here */
		free(f);
		free(tmp);
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0);
	int status = 0;

	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (WIFSIGNALED(status))
		fprintf(stderr, "fork child died of signal %d (close waited for the parent's wave?)\n",
			WTERMSIG(status));
	/* The child's wave (bank 1: GPSET1) reached the shared mapping; the parent's still runs. */
	CHECK_EQ_U32(th_peek(f, PI4_GPIO + 0x20), 1u << 9);
	CHECK(fgpio_chip_wave_cancel(c) == 1);
	pthread_join(th, NULL);
	CHECK(w.r == 0 && w.st.cancelled == 1);
	fgpio_chip_close(c);
	free(f);
}

/* Non-NULL reserved fields: EINVAL before any file is opened (so none is mapped). */
static void test_reserved_config(const char *dir)
{
	char *f = th_regfile(dir, "reserved.bin", PI4_GPIO + 0x1000);

	for (size_t k = 0; k < sizeof(((struct fgpio_config *)0)->reserved) / sizeof(void *); k++) {
		struct fgpio_config cfg;

		fgpio_config_init(&cfg);
		cfg.soc = "bcm2711";
		cfg.devmem = f;
		cfg.dt_root = "/nonexistent-device-tree";
		cfg.reserved[k] = &cfg;
		opens_seen = 0;
		recording = 1;
		errno = 0;
		CHECK(fgpio_chip_open(&cfg) == NULL);
		recording = 0;
		CHECK(errno == EINVAL);
		CHECK(strstr(fgpio_last_error(), "reserved") != NULL);
		CHECK(opens_seen == 0);
	}
	struct fgpio_chip *c = open_cfg("bcm2711", f, NULL, NULL);

	CHECK(c != NULL);
	fgpio_chip_close(c);
	free(f);
}

int main(void)
{
	tmp = th_tmpdir();
	test_cloexec_and_no_fd_leak(tmp);
	test_fork_with_lock_held(tmp);
	test_fork_with_wave_running(tmp);
	test_reserved_config(tmp);
	free(tmp);
	return th_done("lifecycle");
}

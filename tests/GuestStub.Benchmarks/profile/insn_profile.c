/*
 * A QEMU TCG plugin (plugin API version 1, as QEMU 7.2 has it) that counts the instructions run
 * per translation block, separately for each measured pass of the mapping benchmark: a pass
 * begins when the guest runs the code at begin= (the test image's gueststub_tests_pass_begins)
 * and ends at end= (gueststub_tests_pass_ends). At exit it writes one line per block and pass,
 * "PASS VADDR INSTRUCTIONS-IN-BLOCK TIMES-RUN", to out=; profile.py names the functions.
 * The few declarations below are QEMU 7.2's plugin API (include/qemu/qemu-plugin.h there), the
 * only part of QEMU this needs:
 *
 *   gcc -O2 -shared -fPIC -o insn_profile.so insn_profile.c
 *   qemu-system-aarch64 ... -plugin ./insn_profile.so,begin=0x...,end=0x...,out=profile.txt
 *
 * Counting costs a callback per block run: the boot is about twice as slow, its instruction
 * counts (QEMU's -icount) unchanged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb)(unsigned int vcpu_index, void *userdata);
typedef void (*exit_cb)(qemu_plugin_id_t id, void *userdata);
extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
extern void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, udata_cb cb, int flags, void *userdata);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
extern uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, exit_cb cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* Passes counted: the mapping benchmark makes 54. */
#define WINDOWS 160
struct block { uint64_t vaddr; uint64_t insns; uint64_t count[WINDOWS]; struct block *next; };
static struct block *blocks;
static uint64_t begin_addr, end_addr;
static int window = -1, open_;
static const char *out = "/tmp/insn_profile.txt";

static void on_exec(unsigned int vcpu, void *data)
{
    struct block *b = data;
    if (b->vaddr == begin_addr) { if (window < WINDOWS - 1) window++; open_ = 1; }
    else if (b->vaddr == end_addr) open_ = 0;
    if (open_ && window >= 0) b->count[window]++;
}

static void on_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    struct block *b = calloc(1, sizeof *b);
    b->vaddr = qemu_plugin_tb_vaddr(tb);
    b->insns = qemu_plugin_tb_n_insns(tb);
    b->next = blocks;
    blocks = b;
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec, 0, b);
}

static void on_exit_(qemu_plugin_id_t id, void *p)
{
    FILE *f = fopen(out, "w");
    for (struct block *b = blocks; b; b = b->next)
        for (int w = 0; w <= window && w < WINDOWS; w++)
            if (b->count[w]) fprintf(f, "%d %llx %llu %llu\n", w, (unsigned long long)b->vaddr, (unsigned long long)b->insns, (unsigned long long)b->count[w]);
    fclose(f);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const void *info, int argc, char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (!strncmp(argv[i], "begin=", 6)) begin_addr = strtoull(argv[i] + 6, 0, 0);
        else if (!strncmp(argv[i], "end=", 4)) end_addr = strtoull(argv[i] + 4, 0, 0);
        else if (!strncmp(argv[i], "out=", 4)) out = argv[i] + 4;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_trans);
    qemu_plugin_register_atexit_cb(id, on_exit_, 0);
    return 0;
}

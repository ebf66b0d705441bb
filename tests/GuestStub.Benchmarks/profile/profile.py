#!/usr/bin/env python3
"""Where a measured pass's instructions go, by function and by kind of work.

    profile.py PROFILE XEN_SYMS GUEST_ELF PASS[,PASS...] PAGES [TOP]

PROFILE is what insn_profile.so wrote; XEN_SYMS the Xen binary with symbols (the 4.21.2 build's
xen-4.21.2-arm64-syms: Debian's are stripped); GUEST_ELF out/guest-tests.elf; PASS the pass
numbers (0-based, in the order the benchmark runs them, tests/GuestStub.Benchmarks/README.md);
PAGES what to divide by. Prints the instructions per page by kind of work, then the TOP functions.
"""
import bisect
import collections
import subprocess
import sys

# The kinds of work, by function name (Xen's own names, xen/arch/arm and xen/common).
COPIES = {'get_page_from_gva', 'copy_guest', 'memcpy', 'memset', 'raw_copy_from_guest', 'raw_copy_to_guest',
          'raw_copy_to_guest_flush_dcache', 'translate_get_page', 'gvirt_to_maddr'}
LOCKS = {'lock_enter', 'lock_exit', 'check_lock', 'check_barrier', 'rspin_lock', 'rspin_unlock'}
ENTRY = {'do_trap_hypercall', 'guest_sync_slowpath', 'guest_sync', 'do_trap_guest_sync', 'do_memory_op', 'do_grant_table_op',
         'leave_hypervisor_to_guest', 'enter_hypervisor_from_guest', 'return_from_trap', 'check_for_pcpu_work',
         'check_for_vcpu_work'}


def kind(where, name):
    if where == 'guest':
        return 'the stub (EL1)'
    if name in COPIES:
        return 'guest memory copies (copy_from/to_guest: VA translation, page reference, memcpy)'
    if name in LOCKS or name.startswith(('_spin_', '_read_', '_write_', '_percpu_', 'percpu_')):
        return "locks (with a debug build's lock checks)"
    if name.startswith(('p2m', '__p2m')) or 'physmap' in name or name in (
            'mfn_to_p2m_entry', 'create_grant_host_mapping', 'replace_grant_host_mapping', 'flush_guest_tlb'):
        return 'p2m: walks, entry writes, TLB flush'
    if name in ('__mfn_valid', 'mfn_valid') or ('page' in name and ('get_' in name or 'put_' in name or 'owner' in name)):
        return 'page references'
    if 'rcu' in name or 'domain' in name or 'pg_owner' in name or name.startswith('xsm'):
        return 'domain lookups'
    if 'grant' in name or 'gnttab' in name or 'maptrack' in name or name.startswith(('map_grant', 'unmap_')):
        return 'grant table'
    if name in ENTRY:
        return 'hypercall entry, dispatch, exit'
    if any(w in name for w in ('evtchn', 'vgic', 'gic', 'irq', 'sched', 'vcpu', 'timer', 'softirq')):
        return 'events, vGIC, scheduling, timers'
    return 'other'


def symbols(path, where):
    out = subprocess.run(['nm', '-n', path], capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in 'tTwW' and not parts[2].startswith('$'):
            found.append((int(parts[0], 16), where, parts[2]))
    return found


def main():
    profile, xen_syms, guest_elf, passes, pages = sys.argv[1:6]
    top = int(sys.argv[6]) if len(sys.argv) > 6 else 25
    wanted = {int(p) for p in passes.split(',')}
    pages = int(pages)
    table = sorted(symbols(xen_syms, 'xen') + symbols(guest_elf, 'guest'))
    starts = [s[0] for s in table]
    by_function = collections.Counter()
    for line in open(profile):
        number, vaddr, instructions, runs = line.split()
        if int(number) in wanted:
            i = bisect.bisect_right(starts, int(vaddr, 16)) - 1
            by_function[table[i][1:] if i >= 0 else ('?', '?')] += int(instructions) * int(runs)
    total = sum(by_function.values())
    print(f'{total} instructions, {total / pages:.1f} per page')
    by_kind = collections.Counter()
    for (where, name), n in by_function.items():
        by_kind[kind(where, name)] += n
    for k, n in by_kind.most_common():
        print(f'  {n / pages:8.1f} {100 * n / total:5.1f}%  {k}')
    print('  functions:')
    for (where, name), n in by_function.most_common(top):
        print(f'  {n / pages:8.1f} {100 * n / total:5.1f}%  {where}:{name}')


if __name__ == '__main__':
    main()

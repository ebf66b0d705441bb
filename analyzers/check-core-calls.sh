#!/usr/bin/env bash
# Checks a linked guest ELF for Core code that reaches the guest runtime's allocation or throw
# helpers: Core's rules (src/GuestStub.Core/README.md) on the machine code, behind the analyzer
# (analyzers/GuestStub.Analyzers), which sees only C#. It catches what the analyzer cannot: a
# runtime or guest method that allocates or throws, called from Core (directly, or through other
# runtime or guest code, e.g. a sink's Write), and code the compiler or ilc adds.
#
#   analyzers/check-core-calls.sh ELF [ASSEMBLY]
#                                           exit 0: no Core method reaches a helper
#                                           exit 1: one line per Core method that does, naming it,
#                                                   the helper and the call chain
#   ASSEMBLY is the program Core is compiled into: GuestStub.Guest (the default, the product) or
#   GuestStub.GuestTests (the test image, whose Core-rules code also includes GuestStub.Vectors).
#
# How: the disassembly's direct branches (bl, b, b.cond, cb(n)z, tb(n)z to another symbol) form a
# call graph. ilc names a method <Assembly>_<Namespace>_<Type>__<Method>; Core's types are
# compiled into the assembly under namespaces GuestStub.* other than the guest programs' own
# (GuestStub.Guest, GuestStub.GuestTests), so for GuestStub.Guest Core's methods are the symbols
# starting GuestStub_Guest_GuestStub_ but not GuestStub_Guest_GuestStub_Guest_. From each Core
# method the search follows calls into non-Core code (runtime, guest) until it meets a helper; a
# call into another Core method is that method's own search. Calls through a register (blr, br: interface or delegate dispatch, which
# Core does not use) are not followed.
#
# The helpers are matched by name: ilc's allocation and throw entry points (RhpNew*, RhNew*,
# RhpThrow*, RhpRethrow, RhBox*, RhpBox*, RhUnbox*) and the runtime's bump allocator itself, so
# an allocation helper added to src/GuestStub.Runtime later is caught through the allocator it
# calls. The implicit checks' fail-fasts (ThrowHelpers, RhpFallbackFailFast) are not helpers:
# Core's bounds and division checks end in them by design.
set -euo pipefail

OBJDUMP="${LLVM_OBJDUMP:-llvm-objdump-14}"

[ $# -eq 1 ] || [ $# -eq 2 ] || { echo "usage: $0 ELF [ASSEMBLY]" >&2; exit 2; }
elf="$1"
assembly="${2:-GuestStub.Guest}"
prefix="${assembly//./_}_GuestStub_"
[ -f "$elf" ] || { echo "check-core-calls: $elf: no such file" >&2; exit 2; }
disassembly="$("$OBJDUMP" -d --no-show-raw-insn "$elf")" \
    || { echo "check-core-calls: $OBJDUMP -d $elf failed" >&2; exit 2; }

printf '%s\n' "$disassembly" | awk -v elf="$elf" -v prefix="$prefix" '
function is_core(name) {
    return index(name, prefix) == 1 && index(name, prefix "Guest_") != 1 && index(name, prefix "GuestTests_") != 1
}
function is_helper(name) {
    return name ~ /^(RhpNew|RhNew|RhpThrow|RhpRethrow|RhBox|RhpBox|RhUnbox)/ || name ~ /_Internal_Runtime_BumpAllocator__Allocate$/
}
function what(name) { return name ~ /Throw|Rethrow/ ? "throws" : name ~ /Box/ ? "boxes" : "allocates on the heap" }

# A function starts: "ffffff80000876e4 <RhpNewFast>:" (names may contain <> for generics).
/^[0-9a-f]+ <.*>:$/ {
    fn = substr($0, index($0, "<") + 1)
    fn = substr(fn, 1, length(fn) - 2)
    functions[fn] = 1
    nfunctions++
    next
}

# A branch: "ffffff8000087700:  <TAB>bl<TAB>0xffffff8000087848 <Target>". A target with +0x... is
# a label inside a function (a loop, a local jump), not a call.
fn != "" {
    split($0, field, "\t")
    op = field[2]
    if (op != "bl" && op != "b" && op !~ /^b\./ && op !~ /^c?bn?z$/ && op !~ /^tbn?z$/)
        next
    start = index($0, " <")
    if (start == 0)
        next
    target = substr($0, start + 2)
    target = substr(target, 1, length(target) - 1)
    if (target ~ /\+0x[0-9a-f]+$/ || target == fn)
        next
    if (!((fn, target) in edge)) {
        edge[fn, target] = 1
        ncallees[fn]++
        callee[fn, ncallees[fn]] = target
    }
}

# Depth-first search from a Core method through non-Core callees; returns the chain to the
# first helper found, or "". seen[] is reset for each Core method.
function reach(name,    i, next_name, chain) {
    if (is_helper(name))
        return name
    if (name in seen)
        return ""
    seen[name] = 1
    for (i = 1; i <= ncallees[name]; i++) {
        next_name = callee[name, i]
        if (is_core(next_name) && !is_helper(next_name))
            continue
        chain = reach(next_name)
        if (chain != "")
            return name " -> " chain
    }
    return ""
}

END {
    ncore = 0; nhelpers = 0; nbad = 0
    for (name in functions) {
        if (is_helper(name)) nhelpers++
        if (is_core(name)) ncore++
    }
    # A check that finds nothing to check must not pass: ilc renamed its symbols, or the
    # runtime its helpers, and this script has to follow.
    if (ncore == 0) {
        printf "check-core-calls: %s: no Core methods (symbols %s*) found: has ilc'"'"'s naming changed?\n", elf, prefix > "/dev/stderr"
        exit 2
    }
    if (nhelpers == 0) {
        printf "check-core-calls: %s: none of the runtime'"'"'s allocation or throw helpers (RhpNewFast, RhpThrowEx...) found\n", elf > "/dev/stderr"
        exit 2
    }
    for (name in functions) {
        if (!is_core(name))
            continue
        split("", seen)
        chain = reach(name)
        if (chain == "")
            continue
        helper = chain; sub(/.* -> /, "", helper)
        printf "check-core-calls: %s: Core method %s %s: it reaches %s (call chain: %s)\n", elf, name, what(helper), helper, chain > "/dev/stderr"
        nbad++
    }
    if (nbad > 0) {
        printf "check-core-calls: %d Core method(s) reach the runtime'"'"'s allocation or throw helpers: Core must not allocate or throw (Core rules, src/GuestStub.Core/README.md)\n", nbad > "/dev/stderr"
        exit 1
    }
}
'

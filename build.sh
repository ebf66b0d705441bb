#!/usr/bin/env bash
# GuestStub's one entry point. Commands:
#   ./build.sh setup            install what the project needs (idempotent, quiet when done)
#   ./build.sh build            compile the guest (out/guest.elf, out/guest.img) and the test image
#                               (out/guest-tests.elf, out/guest-tests.img)
#   ./build.sh run [options]    build, then boot under Xen 4.17 in QEMU (or --bare; --tests: the test image)
#   ./build.sh test             build, then run every test project (host and boot tests)
#   ./build.sh bench-guest      build, then run the in-guest benchmarks twice under -icount shift=0
#   ./build.sh debug [options]  boot halted with QEMU's gdb stub and attach gdb-multiarch
#   ./build.sh guest-check      compile Core against the bare-metal runtime only
#   ./build.sh fuzz TARGET [SECONDS]   coverage-guided fuzzing (SharpFuzz + AFL++); fuzz --list
#   ./build.sh matrix [--repeat N] [--xen-append "..."]   boot every supported configuration
# Every command first runs the parts of setup that are missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

OUT="$ROOT/out"
OBJ="$ROOT/obj"
CACHE="$ROOT/.cache"
XEN_DIR="$CACHE/xen"
XEN="$XEN_DIR/boot/xen-4.17-arm64"
# libfdt for aarch64 (Debian's libfdt-dev:arm64), linked into the test image's benchmark.
LIBFDT_DIR="$CACHE/libfdt-arm64"
LIBFDT_A="$LIBFDT_DIR/usr/lib/aarch64-linux-gnu/libfdt.a"
ILC_VERSION=10.0.10
NUGET_ROOT="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
ILC="$NUGET_ROOT/runtime.linux-x64.microsoft.dotnet.ilcompiler/$ILC_VERSION/tools/ilc"
CONFIG="${GUESTSTUB_CONFIG:-Release}"
APT_PACKAGES=(qemu-system-arm clang-14 lld-14 llvm-14 device-tree-compiler gdb-multiarch libfdt-dev)

log() { printf '%s\n' "build.sh: $*" >&2; }
# A property of Directory.Build.props: the stub's version and the platform constants are defined
# there once, for C# (generated PlatformConstants), the assembly (-D) and this script.
prop() {
    local value
    value="$(sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$ROOT/Directory.Build.props")"
    [ -n "$value" ] || { printf '%s\n' "build.sh: error: no <$1> in Directory.Build.props" >&2; exit 1; }
    printf '%s' "$value"
}
die() { printf '%s\n' "build.sh: error: $*" >&2; exit 1; }

# ---------------------------------------------------------------------------- setup
apt_updated=0
apt_update_once() {
    if [ "$apt_updated" = 0 ]; then
        log "apt-get update"
        apt-get update -qq >/dev/null || die "apt-get update failed"
        apt_updated=1
    fi
}

setup_apt() {
    local missing=()
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}): run ./build.sh setup as root"
    apt_update_once
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
}

# An arm64 Debian package unpacked into a directory of .cache (git-ignored): dpkg learns the arm64
# architecture first if it has to (only to download; nothing is installed). Unpacked next to the
# destination and renamed into place, so an interrupted setup never leaves a partial directory
# that the callers' [ -f ... ] checks would take as done.
unpack_arm64_package() {
    local package="$1" destination="$2" expected="$3" tmp
    [ "$(id -u)" = 0 ] || die "$package is not unpacked yet: run ./build.sh setup as root"
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        log "adding the arm64 architecture to dpkg (to download arm64 packages)"
        dpkg --add-architecture arm64
        apt_updated=0
    fi
    apt_update_once
    mkdir -p "$CACHE"
    tmp="$(mktemp -d "$destination.tmp.XXXXXX")"
    log "downloading $package"
    # stderr kept for failures only: as root apt warns that _apt cannot write to the directory.
    (cd "$tmp" && apt-get download -qq "$package:arm64" >/dev/null 2>download.log) \
        || { cat "$tmp/download.log" >&2; rm -rf "$tmp"; die "apt-get download $package:arm64 failed"; }
    dpkg-deb -x "$tmp"/"$package"_*.deb "$tmp/root" \
        || { rm -rf "$tmp"; die "unpacking $package failed"; }
    [ -f "$tmp/root/$expected" ] \
        || { rm -rf "$tmp"; die "the $package package did not contain $expected"; }
    rm -rf "$destination"
    mv "$tmp/root" "$destination"
    rm -rf "$tmp"
}

# Xen 4.17 for arm64 from Debian, unpacked into .cache/xen.
setup_xen() {
    [ -f "$XEN" ] && return 0
    unpack_arm64_package xen-hypervisor-4.17-arm64 "$XEN_DIR" boot/xen-4.17-arm64
}

# libfdt 1.6.1 for arm64 from Debian (its static library and headers), unpacked into
# .cache/libfdt-arm64: the test image's benchmark runs it beside Core's reader.
setup_libfdt_arm64() {
    [ -f "$LIBFDT_A" ] && return 0
    unpack_arm64_package libfdt-dev "$LIBFDT_DIR" usr/lib/aarch64-linux-gnu/libfdt.a
}

setup_nuget() {
    local stamp="$OBJ/restore.stamp"
    command -v dotnet >/dev/null \
        || die "dotnet is not on PATH: install the .NET 10 SDK (https://dot.net), which apt does not provide"
    if [ -x "$ILC" ] && [ -f "$stamp" ] && [ -z "$(find GuestStub.sln Directory.*.props linker/Toolchain.proj src tests linker analyzers -name '*.csproj' -newer "$stamp" -o -name '*.props' -newer "$stamp" -o -name '*.proj' -newer "$stamp" -o -name '*.sln' -newer "$stamp" 2>/dev/null | head -1)" ]; then
        return 0
    fi
    log "restoring NuGet packages"
    dotnet restore linker/Toolchain.proj -v q >/dev/null || die "restoring the ILCompiler packages failed"
    dotnet restore GuestStub.sln -v q >/dev/null || die "dotnet restore failed"
    [ -x "$ILC" ] || die "ilc not found at $ILC after restore"
    mkdir -p "$OBJ"
    touch "$stamp"
}

setup() {
    setup_apt
    setup_xen
    setup_libfdt_arm64
    setup_nuget
}

# ---------------------------------------------------------------------------- build
build_managed() {
    mkdir -p "$OBJ"
    dotnet build src/GuestStub.Guest/GuestStub.Guest.csproj -c "$CONFIG" --no-restore -v q -nologo \
        >"$OBJ/guest-build.log" 2>&1 \
        || { cat "$OBJ/guest-build.log" >&2; die "compiling the guest's C# (Guest + Core against GuestStub.Runtime) failed"; }
}

# The platform constants of Directory.Build.props, for the assembly and the linker script.
PAGE_SIZE=$((1 << $(prop GuestPageShift)))
PLATFORM_DEFINES=(-DGUESTSTUB_PAGE_SHIFT="$(prop GuestPageShift)" -DGUESTSTUB_IDMAP_BITS="$(prop GuestIdentityMapBits)")

build() {
    setup
    build_managed
    build_native
    build_image guest "src/GuestStub.Guest/bin/$CONFIG/net10.0" GuestStub.Guest --budget "$LOADABLE_BUDGET"
    build_test_image
}

# The start-up assembly both images share, to obj/native/*.o (NATIVE_OBJECTS).
build_native() {
    mkdir -p "$OBJ/native"
    NATIVE_OBJECTS=()
    for s in native/*.S; do
        local o="$OBJ/native/$(basename "${s%.S}").o"
        clang-14 --target=aarch64-none-elf -march=armv8-a -g -Inative "${PLATFORM_DEFINES[@]}" -c "$s" -o "$o" \
            || die "assembling $s failed"
        NATIVE_OBJECTS+=("$o")
    done
}

# One image from its compiled C# (BIN: the IL of ASSEMBLY and GuestStub.Runtime): ilc to one
# arm64 object, linked with the start-up code and any further objects (after --link), checked
# for Core methods that reach the allocation or throw helpers, packaged into out/NAME.elf,
# out/NAME.img, out/NAME.size.txt (and out/NAME.map). Packager options follow the assembly.
#   build_image NAME BIN ASSEMBLY [PACKAGER OPTIONS...] [--link OBJECTS...]
build_image() {
    local name="$1" bin="$2" assembly="$3" work="$OBJ/$1"
    shift 3
    local packager_options=() link=()
    while [ $# -gt 0 ] && [ "$1" != --link ]; do packager_options+=("$1"); shift; done
    [ $# -gt 0 ] && { shift; link=("$@"); }
    mkdir -p "$work" "$OUT"

    # ilc: the program and its system module to one arm64 object. --Os optimises favouring code
    # size (the product Image has a 128 KiB budget; README "Figures"; the test image is built the
    # same way, so it tests and measures the same code); -g keeps DWARF for gdb; --noinlinetls
    # avoids TLS relocations a bare-metal image cannot serve.
    "$ILC" "$bin/$assembly.dll" "$bin/GuestStub.Runtime.dll" \
        --systemmodule GuestStub.Runtime --targetos linux --targetarch arm64 \
        --Os -g --nativelib --noinlinetls -o "$work/$name.o" >"$work/ilc.log" 2>&1 \
        || { cat "$work/ilc.log" >&2; die "ilc failed for $name"; }

    ld.lld-14 -T linker/guest.ld -static -nostdlib -z max-page-size="$PAGE_SIZE" -z norelro --defsym=GUESTSTUB_PAGE_SIZE="$PAGE_SIZE" \
        --no-undefined --orphan-handling=error -Map "$OUT/$name.map" -o "$work/$name.linked.elf" "${NATIVE_OBJECTS[@]}" "$work/$name.o" "${link[@]}" \
        || die "linking obj/$name/$name.linked.elf failed"
    # Core's rules on the machine code: no Core method may reach the runtime's allocation or
    # throw helpers, however it gets there (the analyzer sees only C#).
    analyzers/check-core-calls.sh "$work/$name.linked.elf" "$assembly" \
        || die "Core reaches the guest runtime's allocation or throw helpers in $name (above)"
    package "$name" "$bin" "$assembly" "${packager_options[@]}"
}

# The test image (tests/GuestStub.GuestTests): the same start-up code, runtime and Core as the
# product, a runner instead of its entry, every tests/vectors/*.vec and the benchmark trees
# embedded, and libfdt for aarch64 with the few C library functions it needs.
TESTS_PROJECT=tests/GuestStub.GuestTests
build_test_image() {
    local work="$OBJ/guest-tests" objects=()
    mkdir -p "$work"
    dotnet build "$TESTS_PROJECT/GuestStub.GuestTests.csproj" -c "$CONFIG" --no-restore -v q -nologo \
        >"$work/build.log" 2>&1 \
        || { cat "$work/build.log" >&2; die "compiling the test image's C# (runner + Core + vectors against GuestStub.Runtime) failed"; }

    # The benchmark's large tree, from the script the host benchmark runs too.
    tests/fixtures/generate-bus-tree.sh 64 63 | dtc -q -I dts -O dtb -o "$work/generated-4k.dtb" - \
        || die "compiling the generated benchmark tree failed"
    write_embedded_files "$work/embedded.S" "$work/generated-4k.dtb"

    for s in "$TESTS_PROJECT"/native/*.S "$work/embedded.S"; do
        local o="$work/$(basename "${s%.S}").o"
        clang-14 --target=aarch64-none-elf -march=armv8-a -g -Inative -I. -c "$s" -o "$o" \
            || die "assembling $s failed"
        objects+=("$o")
    done
    # libfdt's own headers from the arm64 package; <string.h> and <stdlib.h> from the native
    # directory, which declares what native/libc.c defines (there is no C library here).
    for c in "$TESTS_PROJECT"/native/libc.c tests/GuestStub.Benchmarks/native/fdt_walk.c; do
        local o="$work/$(basename "${c%.c}").o"
        clang-14 --target=aarch64-none-elf -march=armv8-a -O2 -g -ffreestanding -Wall -Werror \
            -I"$TESTS_PROJECT/native/include" -I"$LIBFDT_DIR/usr/include" -c "$c" -o "$o" \
            || die "compiling $c failed"
        objects+=("$o")
    done
    build_image guest-tests "$TESTS_PROJECT/bin/$CONFIG/net10.0" GuestStub.GuestTests \
        --link "${objects[@]}" "$LIBFDT_A"
}

# obj/guest-tests/embedded.S: the table native/files.S looks files up in (kind 0: every
# tests/vectors/*.vec in name order; kind 1: the benchmark trees), each file .incbin'd 8-byte
# aligned into read-only data. Paths are relative to the repository root (the assembler's -I.).
write_embedded_files() {
    local out="$1" generated="$2" entries=() i=0 kind path name
    {
        echo "/* Generated by build.sh (write_embedded_files): the files of the test image. */"
        echo '	.section .rodata.gueststub_tests_files, "a"'
        for entry in $(printf '0:%s\n' tests/vectors/*.vec) "1:tests/fixtures/xen/dom0.dtb:xen-dom0" "1:$generated:generated-4k"; do
            kind="${entry%%:*}"; path="${entry#*:}"; name="$(basename "$path")"
            case "$path" in *:*) name="${path##*:}"; path="${path%:*}" ;; esac
            echo "	.balign 8"
            echo "file_$i:	.incbin \"$path\""
            echo "file_${i}_end:"
            echo "name_$i:	.asciz \"$name\""
            entries+=("	.quad $kind, name_$i, file_$i, file_${i}_end - file_$i")
            i=$((i + 1))
        done
        echo "	.balign 8"
        echo "	.global gueststub_tests_file_table"
        echo "gueststub_tests_file_table:"
        printf '%s\n' "${entries[@]}"
        echo "	.quad -1, 0, 0, 0"
    } >"$out"
}

# The packager (linker/GuestStub.Packager) checks the linked ELF would boot, then writes out/guest.elf
# (with build-id and version notes), out/guest.img and out/guest.size.txt. Rebuilt only when its
# sources or its ELF input checks' are newer than its dll, so an unchanged build stays fast.
PACKAGER_DLL="linker/GuestStub.Packager/bin/$CONFIG/net10.0/GuestStub.Packager.dll"
LOADABLE_BUDGET="$(prop GuestImageBudgetBytes)"
#   package NAME BIN ASSEMBLY [PACKAGER OPTIONS...]
package() {
    local name="$1" bin="$2" assembly="$3" version summary
    shift 3
    if [ ! -f "$PACKAGER_DLL" ] || [ -n "$(find linker/GuestStub.Packager linker/GuestStub.ElfInputChecks Directory.Build.props Directory.Packages.props \
            \( -name bin -o -name obj \) -prune -o -type f -newer "$PACKAGER_DLL" -print | head -1)" ]; then
        dotnet build linker/GuestStub.Packager/GuestStub.Packager.csproj -c "$CONFIG" --no-restore -v q -nologo \
            -clp:ErrorsOnly >/dev/null || die "building the packager (linker/GuestStub.Packager) failed"
    fi
    version="$(prop GuestStubVersion)"
    summary="$(dotnet "$PACKAGER_DLL" --input "$OBJ/$name/$name.linked.elf" \
        --elf "$OUT/$name.elf" --image "$OUT/$name.img" --size-report "$OUT/$name.size.txt" \
        --version "$version" --assembly "$bin/$assembly.dll" --assembly "$bin/GuestStub.Runtime.dll" \
        --name "$name" "$@")" || die "packaging obj/$name/$name.linked.elf failed (reasons above)"
    log "$summary"
}

# ---------------------------------------------------------------------------- run
usage_run() {
    cat >&2 <<'USAGE'
usage: ./build.sh run|debug [--bare] [--el2] [--domu] [--domus N] [--domu-plain] [--static-evtchn] [--memory SIZE] [--dom0-memory SIZE] [--cpus N]
                      [--gic 2|3] [--append "GUEST ARGS"] [--xen-append "XEN ARGS"]
                      [--timeout SECONDS] [--gdb-port PORT] [--no-build] [--tests] [--icount]
  default: the guest as dom0 under Xen 4.17 in QEMU virt (-m 1G, dom0_mem=128M, 1 vCPU, GICv3)
  --bare   boot the guest on QEMU virt without Xen (at EL1; with --el2 at EL2)
  --domu   boot it under Xen as dom0 and as two dom0less domUs (domids 1 and 2, region 0 at
           0x38000000 each): dom0's backend maps their grants and foreign pages
  --domus N  as --domu with N domUs (1..8, domids 1..N)
  --domu-plain  domUs without xen,enhanced (no hypervisor node) and with vpl011
  --static-evtchn  with --domu: a static event channel between dom0 and each domU (xen,evtchn-v1
           in the host tree, bound by Xen before the domains run), which both sides find by
           scanning their ports; without it dom0 finds its peers by probing the domains
  --no-build  boot out/guest.img as it was last built
  --tests  boot the test image out/guest-tests.img instead (every test vector; with
           --append guest-tests.bench also the benchmarks)
  --icount run QEMU with -icount shift=0: one instruction per nanosecond of virtual time, so
           the guest's timings are instruction counts (16 per counter tick)
  debug    the same machine halted, with gdb-multiarch attached and stopped at the C# entry
USAGE
}

# Parses the run/debug options into QEMU_CMD (the QEMU command line, bare or under Xen).
parse_boot_options() {
    local bare=0 el2=0 domu=0 domus=2 domu_plain=0 static_evtchn=0 memory=1G dom0_mem=128M cpus=1 gic=3 append="" xen_append="" icount=()
    TIMEOUT_S=""
    NO_BUILD=0
    GDB_PORT=1234
    IMAGE_NAME=guest
    while [ $# -gt 0 ]; do
        case "$1" in
            --bare) bare=1 ;;
            --domu) domu=1 ;;
            --domus) domus="${2:?--domus needs a count}"; domu=1; shift ;;
            --domu-plain) domu_plain=1; domu=1 ;;
            --static-evtchn) static_evtchn=1; domu=1 ;;
            --el2) el2=1 ;;
            --memory|-m) memory="${2:?--memory needs a size}"; shift ;;
            --dom0-memory) dom0_mem="${2:?--dom0-memory needs a size}"; shift ;;
            --cpus|--smp) cpus="${2:?--cpus needs a count}"; shift ;;
            --gic) gic="${2:?--gic needs 2 or 3}"; shift ;;
            --append) append="${2?--append needs a string}"; shift ;;
            --xen-append) xen_append="${2?--xen-append needs a string}"; shift ;;
            --timeout) TIMEOUT_S="${2:?--timeout needs seconds}"; shift ;;
            --gdb-port) GDB_PORT="${2:?--gdb-port needs a port}"; shift ;;
            --no-build) NO_BUILD=1 ;;
            --tests) IMAGE_NAME=guest-tests ;;
            --icount) icount=(-icount shift=0) ;;
            -h|--help) usage_run; exit 0 ;;
            *) usage_run; die "unknown option '$1'" ;;
        esac
        shift
    done
    case "$gic" in 2|3) ;; *) die "--gic must be 2 or 3, not '$gic'" ;; esac
    [[ "$cpus" =~ ^[1-8]$ ]] || die "--cpus must be 1..8, not '$cpus'"
    # A boot takes seconds. With domUs, dom0 waits up to 75 s for them when one hangs
    # (BootSession.OtherDomainsBoundMs), so it can still report before QEMU is killed.
    if [ -z "$TIMEOUT_S" ]; then
        if [ "$domu" = 1 ]; then TIMEOUT_S=120; else TIMEOUT_S=60; fi
    fi
    [[ "$TIMEOUT_S" =~ ^[0-9]+$ ]] || die "--timeout must be a number of seconds"
    [[ "$GDB_PORT" =~ ^[0-9]+$ ]] || die "--gdb-port must be a port number"
    [[ "$memory" =~ ^[0-9]+[MG]$ ]] || die "--memory must look like 512M or 4G, not '$memory'"
    [[ "$dom0_mem" =~ ^[0-9]+[MG]$ ]] || die "--dom0-memory must look like 128M or 1G, not '$dom0_mem'"
    case "$append" in *,*) die "--append: QEMU's guest-loader cannot pass a comma in bootargs" ;; esac
    # serial_tx_buffer=256K: Xen drops console characters while its transmit buffer (16 KiB by
    # default) is full (drivers/char/serial.c, tx_quench), and a boot with domUs prints more than
    # that in a burst: lines went missing from the console now and then.
    # The guest-loader's bootargs are never empty: with a dom0 module without bootargs, Xen 4.17
    # takes /chosen/bootargs (QEMU's -append) as dom0's command line instead of its own, and
    # boots with no dom0_mem (512 MiB). console=hvc0 is what Linux would be given; the stub
    # ignores it.

    DOMU=$domu
    DOMUS=$domus
    IMAGE="$OUT/$IMAGE_NAME.img"
    ICOUNT=("${icount[@]}")
    if [ "$domu" = 1 ]; then
        # Dom0 and dom0less domUs (domids 1..N), all the stub, in one Xen boot: QEMU's own tree
        # with /chosen naming every image (shared/PLATFORM.md), written by make_domu_dtb once the
        # image exists, which also sets QEMU_CMD. Dom0 waits for the domUs to shut down before its
        # power-off halts the machine (XEN_DOMCTL_getdomaininfo): no boot argument is needed.
        [[ "$domus" =~ ^[1-8]$ ]] || die "--domus must be 1..8, not '$domus'"
        [ "$bare" = 1 ] && die "--domu boots under Xen: it cannot be combined with --bare"
        [ "$el2" = 1 ] && die "--el2 applies to --bare only (Xen runs the guest at EL1)"
        DOMU_DTB="$OBJ/domu/virt-domu.dtb"
        DOMU_TREE_ARGS=(--memory "$memory" --cpus "$cpus" --gic "$gic" --domus "$domus"
            --xen-bootargs "$(trim "dom0_mem=$dom0_mem console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all serial_tx_buffer=256K $xen_append")"
            --dom0-bootargs "$(trim "console=hvc0 $append")"
            --domu-bootargs "$(trim "console=hvc0 $append")")
        [ "$domu_plain" = 1 ] && DOMU_TREE_ARGS+=(--domu-plain)
        [ "$static_evtchn" = 1 ] && DOMU_TREE_ARGS+=(--static-evtchn)
        QEMU_CMD=()
    elif [ "$bare" = 1 ]; then
        local machine="virt,gic-version=$gic"
        [ "$el2" = 1 ] && machine="$machine,virtualization=on"
        QEMU_CMD=(qemu-system-aarch64 -M "$machine" -cpu cortex-a57 -m "$memory" -smp "$cpus" "${icount[@]}"
             -nographic -no-reboot -kernel "$IMAGE" -append "$append")
    else
        [ "$el2" = 1 ] && die "--el2 applies to --bare only (Xen runs the guest at EL1)"
        QEMU_CMD=(qemu-system-aarch64 -M "virt,virtualization=on,gic-version=$gic" -cpu cortex-a57
             -m "$memory" -smp "$cpus" "${icount[@]}" -nographic -no-reboot -kernel "$XEN"
             -append "$(trim "dom0_mem=$dom0_mem console=dtuart dtuart=/pl011@9000000 loglvl=all guest_loglvl=all serial_tx_buffer=256K $xen_append")"
             -device "guest-loader,addr=0x49000000,kernel=$IMAGE,bootargs=${append:-console=hvc0}")
    fi
}

# Prints a command so it can be pasted into a shell: plain words as they are, others quoted.
print_command() {
    local line="build.sh: running:" a
    for a in "$@"; do
        if [[ "$a" =~ ^[A-Za-z0-9_./:=,+@-]+$ ]]; then line+=" $a"; else line+=" '${a//\'/\'\\\'\'}'"; fi
    done
    printf '%s\n' "$line" >&2
}

# Trims leading and trailing blanks (bootargs assembled from optional parts).
trim() { local t="$*"; t="${t#"${t%%[![:space:]]*}"}"; printf '%s' "${t%"${t##*[![:space:]]}"}"; }

# The device tree for --domu: QEMU's own (dumped with the same machine, memory and vCPUs) plus
# Xen's dom0less nodes under /chosen, sized to the image just built, by the project's one
# recipe, tests/fixtures/xen/make-domu-dtb.sh (the boot tests use it too). It prints the QEMU
# arguments that go with the tree.
make_domu_dtb() {
    local args
    mkdir -p "$(dirname "$DOMU_DTB")"
    args="$(tests/fixtures/xen/make-domu-dtb.sh --out "$DOMU_DTB" --dom0 "$IMAGE" --domu "$IMAGE" \
        "${DOMU_TREE_ARGS[@]}")" || die "--domu: building the dom0less device tree failed"
    mapfile -t QEMU_CMD <<<"$args"
    QEMU_CMD=(qemu-system-aarch64 "${QEMU_CMD[@]}" "${ICOUNT[@]}" -nographic -no-reboot -kernel "$XEN")
}


# Builds the image unless --no-build asked to boot the one already built.
build_unless_asked_not_to() {
    if [ "$NO_BUILD" = 1 ]; then
        [ -f "$IMAGE" ] && [ -f "$OUT/$IMAGE_NAME.elf" ] || die "--no-build: out/$IMAGE_NAME.img is missing: run ./build.sh build first"
        setup
    else
        build
    fi
}

run() {
    parse_boot_options "$@"
    build_unless_asked_not_to
    [ "$DOMU" = 1 ] && make_domu_dtb
    build_symbolizer
    print_command "${QEMU_CMD[@]}"
    # The console goes through `gueststub symbolize` (every line unchanged, ELR and backtrace
    # addresses annotated with C# method and file:line). The pipeline's statuses are read before
    # any other command runs: `|| true` here would leave PIPESTATUS holding true's 0, and a
    # QEMU that timed out or failed would look like a clean run.
    local -a statuses
    set +e
    timeout --foreground -k 5 "$TIMEOUT_S" "${QEMU_CMD[@]}" 2>&1 \
        | dotnet "$CLI_DLL" symbolize --elf "$OUT/$IMAGE_NAME.elf"
    statuses=("${PIPESTATUS[@]}")
    set -e
    local status=${statuses[0]} symbolize=${statuses[1]}
    # Both are told when both failed: a symbolizer that died can take QEMU down with it (SIGPIPE).
    [ "$symbolize" = 0 ] || printf '%s\n' "build.sh: error: gueststub symbolize failed (status $symbolize); the console above may be incomplete" >&2
    case "$status" in
        0) ;;
        124) die "QEMU did not exit within ${TIMEOUT_S}s (stopped by the timeout)" ;;
        137) die "QEMU was killed (status 137: still running 5 s after the ${TIMEOUT_S}s timeout, or the OOM killer)" ;;
        *) die "QEMU exited with status $status" ;;
    esac
    [ "$symbolize" = 0 ] || exit 1
    return 0
}

# The host tool, for `gueststub symbolize` in run's pipe.
CLI_DLL="src/GuestStub.Cli/bin/$CONFIG/net10.0/gueststub.dll"
build_symbolizer() {
    dotnet build src/GuestStub.Cli/GuestStub.Cli.csproj -c "$CONFIG" --no-restore -v q -nologo -clp:ErrorsOnly >/dev/null \
        || die "building the host tool (src/GuestStub.Cli) for gueststub symbolize failed"
    command -v llvm-symbolizer-14 >/dev/null || die "llvm-symbolizer-14 is missing: run ./build.sh setup (llvm-14)"
}

# QEMU halted at reset with its gdb stub, and gdb-multiarch on out/guest.elf stopped at the C#
# entry point; QEMU's console goes to out/debug-console.log. Quitting gdb stops QEMU.
DEBUG_ENTRY=GuestStub_Guest_GuestStub_Guest_Entry__Main
DEBUG_TESTS_ENTRY=GuestStub_GuestTests_GuestStub_GuestTests_TestEntry__Main
DEBUG_QEMU_PID=""
stop_debug_qemu() {
    if [ -n "$DEBUG_QEMU_PID" ]; then
        kill "$DEBUG_QEMU_PID" 2>/dev/null || true
        wait "$DEBUG_QEMU_PID" 2>/dev/null || true
        DEBUG_QEMU_PID=""
    fi
}
debug() {
    parse_boot_options "$@"
    build_unless_asked_not_to
    [ "$DOMU" = 1 ] && make_domu_dtb
    local console="$OUT/debug-console.log"
    QEMU_CMD+=(-S -gdb "tcp:127.0.0.1:$GDB_PORT")
    print_command "${QEMU_CMD[@]}"
    "${QEMU_CMD[@]}" </dev/null >"$console" 2>&1 &
    # A global, not a local: the traps run after debug() has returned (at exit), when a local
    # would be gone and `set -u` would abort the trap before QEMU is killed.
    DEBUG_QEMU_PID=$!
    trap stop_debug_qemu EXIT
    trap 'stop_debug_qemu; exit 130' INT TERM
    log "QEMU console: $console (tail -f it in another terminal)"
    gdb-multiarch -q "$OUT/$IMAGE_NAME.elf" \
        -ex "target remote 127.0.0.1:$GDB_PORT" \
        -ex "break $([ "$IMAGE_NAME" = guest-tests ] && echo "$DEBUG_TESTS_ENTRY" || echo "$DEBUG_ENTRY")" \
        -ex "continue"
}

# ---------------------------------------------------------------------------- bench-guest
# The in-guest benchmarks (tests/GuestStub.GuestTests/Bench): the test image booted twice with
# guest-tests.bench under -icount shift=0, as dom0 under Xen (or --bare), its guest-bench lines
# printed, and the two runs' report bench.* figures compared: they must agree within 0.1%
# (under -icount a count of counter ticks is a count of instructions, whatever the host's load).
usage_bench() {
    echo "usage: ./build.sh bench-guest [--bare] [--no-build]" >&2
}
bench_guest() {
    local boot=() no_build=0 run
    while [ $# -gt 0 ]; do
        case "$1" in
            --bare) boot+=(--bare) ;;
            --no-build) no_build=1 ;;
            -h|--help) usage_bench; exit 0 ;;
            *) usage_bench; die "unknown option '$1'" ;;
        esac
        shift
    done
    [ "$no_build" = 1 ] || build
    setup
    mkdir -p "$OBJ/bench"
    for run in 1 2; do
        parse_boot_options "${boot[@]}" --tests --icount --no-build --timeout 300 --append guest-tests.bench
        [ -f "$IMAGE" ] || die "out/guest-tests.img is missing: run ./build.sh build first"
        print_command "${QEMU_CMD[@]}"
        timeout --foreground -k 5 "$TIMEOUT_S" "${QEMU_CMD[@]}" </dev/null >"$OBJ/bench/run$run.log" 2>&1 \
            || die "the benchmark boot failed or timed out (obj/bench/run$run.log)"
        grep -q '^guest-tests: [0-9]* passed, 0 failed' "$OBJ/bench/run$run.log" \
            || die "the test image did not pass every vector (obj/bench/run$run.log)"
        grep -q '^guest-bench: FAIL' "$OBJ/bench/run$run.log" \
            && { grep '^guest-bench: FAIL' "$OBJ/bench/run$run.log" >&2; die "a benchmark failed (obj/bench/run$run.log)"; }
        grep '^report bench\.' "$OBJ/bench/run$run.log" | tr -d '\r' >"$OBJ/bench/run$run.report"
        [ -s "$OBJ/bench/run$run.report" ] || die "no report bench lines (obj/bench/run$run.log)"
    done
    grep '^guest-bench: ' "$OBJ/bench/run1.log" | tr -d '\r'
    # Every numeric figure of run 2 against run 1, in parts per million.
    awk '
        NR == FNR { first[$2] = $3; next }
        $3 ~ /^[0-9.]+$/ && ($2 in first) {
            a = first[$2] + 0; b = $3 + 0
            ppm = a == b ? 0 : (a > b ? a - b : b - a) * 1000000 / (a > b ? a : b)
            if (ppm > worst) { worst = ppm; key = $2 }
            compared++
        }
        END {
            printf "build.sh: bench-guest: %d figures of two runs, largest difference %.1f ppm%s (limit 1000 ppm = 0.1%%)\n",
                compared, worst, (worst > 0 ? " (" key ")" : "")
            exit (compared == 0 || worst > 1000) ? 1 : 0
        }' "$OBJ/bench/run1.report" "$OBJ/bench/run2.report" \
        || die "the two runs differ by more than 0.1% (obj/bench/run1.report, run2.report)"
}

# ---------------------------------------------------------------------------- test
test_all() {
    build
    dotnet build GuestStub.sln -c "$CONFIG" --no-restore -v q -nologo >"$OBJ/solution-build.log" 2>&1 \
        || { cat "$OBJ/solution-build.log" >&2; die "building the solution failed"; }
    local log="$OBJ/test-output.log"
    mkdir -p "$OBJ"
    local status=0
    GUESTSTUB_XEN="$XEN" dotnet test GuestStub.sln -c "$CONFIG" --no-build --no-restore -v q -nologo \
        --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?   # pipefail: dotnet's status
    # One closing line for the whole run, summed over every test project's summary.
    local passed failed skipped
    passed=$(awk '/^ +Passed: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
    failed=$(awk '/^ +Failed: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
    skipped=$(awk '/^ +Skipped: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
    echo "tests: $passed passed, $failed failed, $skipped skipped"
    if [ "$status" = 0 ] && [ "$failed" != 0 ]; then status=1; fi
    return "$status"
}

# ---------------------------------------------------------------------------- fuzz
# Coverage-guided fuzzing with SharpFuzz (tests/GuestStub.Fuzz, one entry per target) and AFL++:
# the harness is published to obj/fuzz/bin, the code under test (Core, the ELF library, the
# packager, the host tool) is instrumented there with SharpFuzz.CommandLine, and afl-fuzz runs
# it with the corpus seeded from the fixtures. Prints executions, coverage edges and findings;
# exits 1 on a finding. Each run starts afresh in obj/fuzz/TARGET (findings of the last run stay there).
SHARPFUZZ_VERSION=2.3.0
FUZZ_TOOLS="$OBJ/tools"
FUZZ_BIN="$OBJ/fuzz/bin"

setup_fuzz() {
    if ! command -v afl-fuzz >/dev/null; then
        [ "$(id -u)" = 0 ] || die "afl-fuzz is missing: run ./build.sh fuzz as root (it installs Debian's afl++)"
        apt_update_once
        log "installing afl++"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null || die "apt-get install afl++ failed"
    fi
    if [ ! -x "$FUZZ_TOOLS/sharpfuzz" ]; then
        log "installing the dotnet tool SharpFuzz.CommandLine $SHARPFUZZ_VERSION into obj/tools"
        dotnet tool install --tool-path "$FUZZ_TOOLS" SharpFuzz.CommandLine --version "$SHARPFUZZ_VERSION" >/dev/null \
            || die "dotnet tool install SharpFuzz.CommandLine $SHARPFUZZ_VERSION failed"
    fi
}

# Publishes the harness afresh (an instrumented assembly cannot be instrumented twice) and
# instruments the assemblies under test.
publish_fuzz_harness() {
    rm -rf "$FUZZ_BIN"
    dotnet publish tests/GuestStub.Fuzz/GuestStub.Fuzz.csproj -c Release --no-restore -v q -nologo -o "$FUZZ_BIN" \
        >"$OBJ/fuzz-publish.log" 2>&1 || { cat "$OBJ/fuzz-publish.log" >&2; die "publishing the fuzz harness failed"; }
    local dll
    for dll in GuestStub.Core.dll GuestStub.ElfInputChecks.dll GuestStub.Packager.dll gueststub.dll; do
        "$FUZZ_TOOLS/sharpfuzz" "$FUZZ_BIN/$dll" >"$OBJ/fuzz-instrument.log" 2>&1 \
            || { cat "$OBJ/fuzz-instrument.log" >&2; die "instrumenting $dll failed"; }
    done
}

# The seeds of TARGET in $1: the fixture trees (compiled by dtc, and the DTBs captured from Xen),
# the harness's built-in ones, for elf the linked guest without its DWARF, for symbolize the
# console logs with crash reports (tests/fixtures/console).
seed_fuzz_corpus() {
    local target="$1" corpus="$2" dts
    mkdir -p "$corpus"
    case "$target" in
        dtb|regions)
            for dts in tests/fixtures/dts/*.dts; do
                dtc -q -I dts -O dtb -o "$corpus/$(basename "${dts%.dts}").dtb" "$dts" || die "dtc failed on $dts"
            done
            cp tests/fixtures/xen/*.dtb "$corpus/" ;;
        elf)
            [ -f "$OBJ/guest/guest.linked.elf" ] || build
            llvm-objcopy-14 --strip-debug "$OBJ/guest/guest.linked.elf" "$corpus/guest.linked.elf" \
                || die "llvm-objcopy-14 failed" ;;
        symbolize)
            cp tests/fixtures/console/*.log "$corpus/" ;;
    esac
    dotnet "$FUZZ_BIN/GuestStub.Fuzz.dll" --seeds "$target" "$corpus" >/dev/null || die "writing the built-in seeds failed"
}

fuzz() {
    local target="${1:-}" seconds="${2:-60}"
    case "$target" in
        ""|-h|--help) die "usage: ./build.sh fuzz TARGET [SECONDS] (targets: ./build.sh fuzz --list)" ;;
    esac
    [[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "fuzz: SECONDS must be a positive number, not '$seconds'"
    setup_apt
    setup_nuget
    setup_fuzz
    publish_fuzz_harness
    local harness=("$(command -v dotnet)" "$FUZZ_BIN/GuestStub.Fuzz.dll")
    if [ "$target" = --list ]; then
        "${harness[@]}" --list
        return 0
    fi
    "${harness[@]}" --list | awk -v t="$target" '$1 == t { found = 1 } END { exit !found }' \
        || die "fuzz: unknown target '$target' (./build.sh fuzz --list)"

    local dir="$OBJ/fuzz/$target"
    rm -rf "$dir"
    seed_fuzz_corpus "$target" "$dir/corpus"
    log "fuzzing $target for ${seconds}s: afl-fuzz -i obj/fuzz/$target/corpus -o obj/fuzz/$target/findings (log: obj/fuzz/$target/afl.log)"
    local status=0 start=$SECONDS
    # The target is `dotnet`, not an afl-cc binary: SharpFuzz's instrumentation and fork-server
    # loop live in the managed code, so afl-fuzz's binary check is skipped. 5 s per input at most.
    AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
    AFL_NO_AFFINITY=1 AFL_SKIP_CRASHES=1 \
        afl-fuzz -i "$dir/corpus" -o "$dir/findings" -t 5000 -m none -V "$seconds" -- "${harness[@]}" "$target" \
        >"$dir/afl.log" 2>&1 || status=$?
    local stats="$dir/findings/default/fuzzer_stats"
    if [ ! -f "$stats" ]; then
        tail -n 30 "$dir/afl.log" >&2
        die "fuzz: afl-fuzz did not run (exit $status; obj/fuzz/$target/afl.log)"
    fi
    local execs edges coverage crashes hangs
    execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 }' "$stats")
    edges=$(awk -F' *: *' '$1 == "edges_found" { print $2 }' "$stats")
    coverage=$(awk -F' *: *' '$1 == "bitmap_cvg" { print $2 }' "$stats")
    crashes=$(awk -F' *: *' '$1 == "saved_crashes" || $1 == "unique_crashes" { print $2 }' "$stats")
    hangs=$(awk -F' *: *' '$1 == "saved_hangs" || $1 == "unique_hangs" { print $2 }' "$stats")
    echo "fuzz $target: $execs executions in $((SECONDS - start)) s, $edges edges ($coverage of the map), $((crashes + hangs)) findings ($crashes crashes, $hangs hangs)"
    if [ $((crashes + hangs)) != 0 ]; then
        local f
        for f in "$dir"/findings/default/crashes/id:* "$dir"/findings/default/hangs/id:*; do
            [ -f "$f" ] && echo "  finding: ${f#"$ROOT"/}"
        done
        echo "  reproduce: dotnet tests/GuestStub.Fuzz/bin/Release/net10.0/GuestStub.Fuzz.dll $target FILE (after ./build.sh test or dotnet build)"
        return 1
    fi
    [ "$status" = 0 ] || die "fuzz: afl-fuzz exited $status (obj/fuzz/$target/afl.log)"
}

# ---------------------------------------------------------------------------- matrix
# Every configuration the stub supports, booted for real: dom0 under Xen 4.17 with GICv2 and
# GICv3, 1, 2 and 4 vCPUs, 1, 2, 4 and 8 GiB of machine memory (dom0_mem=128M) and the grant
# table at region 0 or at ballooned pages (gnttab=ballooned); then the dom0less configuration
# (dom0 and two domUs in one boot, as run --domu). A boot is ok when QEMU exits 0 by itself and
# every domain's report says `status ok`. One line per failed boot, then `matrix: N/N ok`; exit
# 1 on a failure.
# Logs: obj/matrix/*.log.
usage_matrix() {
    cat >&2 <<'USAGE'
usage: ./build.sh matrix [--repeat N] [--xen-append "XEN ARGS"] [--timeout SECONDS]
  boots dom0 across GICv2/v3, 1/2/4 vCPUs, 1/2/4/8 GiB, region 0 or ballooned (48 boots),
  then dom0 + two dom0less domUs (1 boot, as ./build.sh run --domu); --repeat N does all of it
  N times (default 1)
USAGE
}

# Boots one configuration: $1 = its description, the rest = run options. Counts it in
# MATRIX_OK / MATRIX_TOTAL and prints a line when it fails.
matrix_boot() {
    local label="$1"; shift
    parse_boot_options "$@"
    [ "$DOMU" = 1 ] && make_domu_dtb
    local log="$OBJ/matrix/$(printf '%s' "$label" | tr -c 'A-Za-z0-9=.\n-' '_').log"
    local status=0 why=""
    { print_command "${QEMU_CMD[@]}" 2>&1; } >"$log"
    timeout -k 5 "$TIMEOUT_S" "${QEMU_CMD[@]}" </dev/null >>"$log" 2>&1 || status=$?
    local text
    text="$(tr -d '\r' <"$log")"
    if [ "$status" = 124 ] || [ "$status" = 137 ]; then
        why="did not power off within ${TIMEOUT_S}s"
    elif [ "$status" != 0 ]; then
        why="QEMU exited $status"
    fi
    local prefix reported prefixes=("") d
    if [ "$DOMU" = 1 ]; then
        for ((d = 1; d <= DOMUS; d++)); do prefixes+=("(d$d) "); done   # Xen prefixes a domU's console lines
    fi
    for prefix in "${prefixes[@]}"; do
        # A basic regular expression: the parentheses of "(d1) " are literal.
        reported="$(printf '%s\n' "$text" | grep -m1 "^${prefix}report status " || true)"
        if [ "$reported" != "${prefix}report status ok" ]; then
            why="${why:+$why; }${prefix:-dom0 }${reported:-no report status line}"
        fi
    done
    MATRIX_TOTAL=$((MATRIX_TOTAL + 1))
    if [ -z "$why" ]; then
        MATRIX_OK=$((MATRIX_OK + 1))
    else
        echo "matrix: FAILED $label: $why (${log#"$ROOT"/})"
    fi
}

matrix() {
    local repeat=1 xen_append="" timeout=120
    while [ $# -gt 0 ]; do
        case "$1" in
            --repeat) repeat="${2:?--repeat needs a count}"; shift ;;
            --xen-append) xen_append="${2?--xen-append needs a string}"; shift ;;
            --timeout) timeout="${2:?--timeout needs seconds}"; shift ;;
            -h|--help) usage_matrix; exit 0 ;;
            *) usage_matrix; die "unknown option '$1'" ;;
        esac
        shift
    done
    [[ "$repeat" =~ ^[1-9][0-9]*$ ]] || die "--repeat must be a positive number, not '$repeat'"
    build
    rm -rf "$OBJ/matrix"
    mkdir -p "$OBJ/matrix"
    MATRIX_OK=0 MATRIX_TOTAL=0
    local start=$SECONDS r gic cpus memory region
    for ((r = 1; r <= repeat; r++)); do
        for gic in 2 3; do
            for cpus in 1 2 4; do
                for memory in 1G 2G 4G 8G; do
                    for region in region0 ballooned; do
                        local append=()
                        [ "$region" = ballooned ] && append=(--append "console=hvc0 gnttab=ballooned")
                        matrix_boot "dom0 gic=$gic cpus=$cpus memory=$memory dom0_mem=128M grant=$region run=$r" \
                            --gic "$gic" --cpus "$cpus" --memory "$memory" --dom0-memory 128M "${append[@]}" \
                            --xen-append "$xen_append" --timeout "$timeout"
                    done
                done
            done
        done
        matrix_boot "dom0+2 domUs (dom0less) gic=3 cpus=1 memory=1G run=$r" --domu --xen-append "$xen_append" --timeout "$timeout"
    done
    local elapsed=$((SECONDS - start))
    echo "matrix: $MATRIX_OK/$MATRIX_TOTAL ok ($((elapsed / 60)) min $((elapsed % 60)) s)"
    [ "$MATRIX_OK" = "$MATRIX_TOTAL" ]
}

# ---------------------------------------------------------------------------- main
cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
    setup) setup ;;
    build) build ;;
    run) run "$@" ;;
    debug) debug "$@" ;;
    test) test_all "$@" ;;
    bench-guest) bench_guest "$@" ;;
    guest-check) setup_nuget; build_managed; log "Core compiles against GuestStub.Runtime" ;;
    fuzz) fuzz "$@" ;;
    matrix) matrix "$@" ;;
    ""|-h|--help|help)
        sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$cmd' (try ./build.sh help)" ;;
esac

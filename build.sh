#!/usr/bin/env bash
# GuestStub's setup, and the forwards to the tools that do the work. Commands:
#   ./build.sh setup                 install what the project needs (idempotent, quiet when done)
#   ./build.sh build                 the host tool and both images (dotnet build -c Release of the CLI)
#   ./build.sh run [OPTIONS]         build, then boot: gueststub run (gueststub run --help)
#   ./build.sh test [ARGS]           build, then every test; ends `tests: N passed, N failed, N skipped`
#   ./build.sh matrix|debug|bench-guest [OPTIONS]   build, then gueststub matrix|debug|bench-guest
#   ./build.sh fuzz TARGET [SECONDS] coverage-guided fuzzing (tests/GuestStub.Fuzz/README.md)
# The images are built by MSBuild (build/GuestImage.targets), QEMU is started and its console
# judged by the launcher (src/GuestStub.Launch) behind the `gueststub` verbs: this script only
# installs and forwards.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
CACHE="$ROOT/.cache" OBJ="$ROOT/obj"
CONFIG="${GUESTSTUB_CONFIG:-Release}"
CLI="src/GuestStub.Cli/bin/$CONFIG/net10.0/gueststub.dll"
APT_PACKAGES=(qemu-system-arm clang-14 lld-14 llvm-14 device-tree-compiler gdb-multiarch libfdt-dev u-boot-qemu u-boot-tools)
# Where arm64 packages are downloaded from (never installed): the Debian mirror of this machine.
DEBIAN_MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

log() { printf 'build.sh: %s\n' "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

setup_apt() {
    local missing=() p
    for p in "${APT_PACKAGES[@]}" "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    [ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}): run ./build.sh setup as root"
    log "installing ${missing[*]}"
    mkdir -p "$OBJ"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } >"$OBJ/apt.log" 2>&1 \
        || { cat "$OBJ/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
}

# An arm64 package of a Debian suite, downloaded with apt-get through a private apt directory
# (.cache/apt/SUITE: its own sources, lists and cache, so the machine's sources and dpkg's
# architectures are left alone) and unpacked into DESTINATION, renamed into place only once it
# holds EXPECTED: an interrupted setup never leaves a directory that looks done.
#   apt_unpack SUITE PACKAGE DESTINATION EXPECTED
apt_unpack() {
    local suite="$1" package="$2" destination="$3" expected="$4" apt="$CACHE/apt/$1" tmp
    [ -f "$destination/$expected" ] && return 0
    mkdir -p "$apt/sources" "$apt/lists/partial" "$apt/cache/archives/partial"
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
        "$DEBIAN_MIRROR" "$suite" >"$apt/sources/$suite.sources"
    local options=(-o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$apt/sources" -o "Dir::State::Lists=$apt/lists"
        -o "Dir::Cache=$apt/cache" -o APT::Architecture=arm64 -o APT::Architectures=arm64 -qq)
    log "downloading $package ($suite, arm64)"
    tmp="$(mktemp -d "$destination.tmp.XXXXXX")"
    # stderr is kept for failures only: as root apt warns that _apt cannot write to the directory.
    { apt-get "${options[@]}" update && (cd "$tmp" && apt-get "${options[@]}" download "$package"); } >"$tmp/apt.log" 2>&1 \
        || { cat "$tmp/apt.log" >&2; rm -rf "$tmp"; die "apt-get download $package ($suite, arm64) failed"; }
    dpkg-deb -x "$tmp"/"$package"_*.deb "$tmp/root" && [ -f "$tmp/root/$expected" ] \
        || { rm -rf "$tmp"; die "the $package package did not unpack to $expected"; }
    rm -rf "$destination" && mv "$tmp/root" "$destination" && rm -rf "$tmp"
}

# Xen releases for arm64 from Debian (release builds): 4.17 from Debian 12, 4.20 from Debian 13.
setup_xen() {
    case "$1" in
        4.17) apt_unpack bookworm xen-hypervisor-4.17-arm64 "$CACHE/xen" boot/xen-4.17-arm64 ;;
        4.20) apt_unpack trixie xen-hypervisor-4.20-arm64 "$CACHE/xen-4.20" boot/xen-4.20-arm64 ;;
    esac
}

# NuGet: every project's packages, ilc 10.0.10 for arm64 among them (build/GuestImage.targets).
setup_nuget() {
    command -v dotnet >/dev/null || die "dotnet is not on PATH: install the .NET 10 SDK (https://dot.net), which apt does not provide"
    local stamp="$OBJ/restore.stamp"
    if [ -f "$stamp" ] && [ -z "$(find GuestStub.sln Directory.*.props build src tests analyzers \( -name bin -o -name obj \) -prune \
            -o \( -name '*.csproj' -o -name '*.props' -o -name '*.targets' -o -name '*.sln' \) -newer "$stamp" -print | head -1)" ]; then
        return 0
    fi
    log "restoring NuGet packages"
    dotnet restore GuestStub.sln -v q >/dev/null || die "dotnet restore failed"
    mkdir -p "$OBJ" && touch "$stamp"
}

# Everything the tests need: Xen 4.20 too (boot tests run it), libfdt for arm64 (the test image).
setup() {
    setup_apt
    setup_xen 4.17
    setup_xen 4.20
    apt_unpack bookworm libfdt-dev "$CACHE/libfdt-arm64" usr/lib/aarch64-linux-gnu/libfdt.a
    setup_nuget
}

# A boot needs only what it boots: Xen 4.20 is downloaded when asked for (--xen 4.20, a matrix).
setup_for_boot() {
    setup_apt
    setup_xen 4.17
    apt_unpack bookworm libfdt-dev "$CACHE/libfdt-arm64" usr/lib/aarch64-linux-gnu/libfdt.a
    [[ " $* " =~ [[:space:]=,]4\.20[[:space:],] ]] && setup_xen 4.20
    setup_nuget
}

# The host tool, which builds both images before itself (what a boot needs), or the solution
# (host tools, tests, both images) for the tests.
build() {
    # Errors, warnings and the images' size lines; not the list of every project's output.
    dotnet build "${1:-src/GuestStub.Cli/GuestStub.Cli.csproj}" -c "$CONFIG" --no-restore -nologo -v m -clp:NoSummary \
        | { grep -Ev '^ +[A-Za-z0-9.]+ -> /' || true; } || die "the build failed (errors above)"
}

test_all() {
    setup
    build GuestStub.sln
    mkdir -p "$OBJ"
    local log="$OBJ/test-output.log" status=0
    dotnet test GuestStub.sln -c "$CONFIG" --no-build --no-restore -v q -nologo --logger "console;verbosity=normal" "$@" 2>&1 \
        | tee "$log" || status=$?   # pipefail: dotnet's status
    # One closing line for the whole run, summed over every test project's summary.
    local passed failed skipped
    passed=$(awk '/^ +Passed: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
    failed=$(awk '/^ +Failed: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
    skipped=$(awk '/^ +Skipped: +[0-9]+$/ {n += $2} END {print n + 0}' "$log")
    echo "tests: $passed passed, $failed failed, $skipped skipped"
    if [ "$status" = 0 ] && [ "$failed" != 0 ]; then status=1; fi
    return "$status"
}

# afl++ from Debian and SharpFuzz's instrumentation tool, for tests/GuestStub.Fuzz's campaigns.
fuzz() {
    setup_apt afl++
    setup_nuget
    [ -x "$OBJ/tools/sharpfuzz" ] || dotnet tool install --tool-path "$OBJ/tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null \
        || die "dotnet tool install SharpFuzz.CommandLine 2.3.0 failed"
    build tests/GuestStub.Fuzz/GuestStub.Fuzz.csproj
    dotnet "tests/GuestStub.Fuzz/bin/$CONFIG/net10.0/GuestStub.Fuzz.dll" --campaign "$@"
}

cmd="${1:-}"
[ $# -gt 0 ] && shift
case "$cmd" in
    setup) setup ;;
    build) setup; build ;;
    test) test_all "$@" ;;
    run|matrix|debug|bench-guest)
        setup_for_boot "$@"
        [ "$cmd" = matrix ] && setup_xen 4.20
        # --no-build boots what was built last (the verb ignores it).
        [[ " $* " == *" --no-build "* ]] || build
        exec dotnet "$CLI" "$cmd" "$@" ;;
    fuzz) fuzz "$@" ;;
    ""|-h|--help|help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) die "unknown command '$cmd' (try ./build.sh help)" ;;
esac

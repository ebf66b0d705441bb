using System.Runtime.CompilerServices;

// The guest program binds its hvc/PSCI trampolines with RuntimeImport and exports its
// platform hooks with RuntimeExport: ilc attributes that are internal here, as in .NET. The
// test image (tests/GuestStub.GuestTests) compiles the same guest code.
[assembly: InternalsVisibleTo("GuestStub.Guest")]
[assembly: InternalsVisibleTo("GuestStub.GuestTests")]

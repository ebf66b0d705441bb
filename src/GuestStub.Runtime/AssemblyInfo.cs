using System.Runtime.CompilerServices;

// The guest program binds its hvc/PSCI trampolines with RuntimeImport and exports its
// platform hooks with RuntimeExport: ilc attributes that are internal here, as in .NET.
[assembly: InternalsVisibleTo("GuestStub.Guest")]

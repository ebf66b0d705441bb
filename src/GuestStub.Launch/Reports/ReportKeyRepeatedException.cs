using System;

namespace GuestStub.Launch.Reports;

/// <summary>A key asked for as a single fact (<see cref="DomainReport.Value"/>) that the domain
/// reported more than once: the caller must say which it means (<see cref="DomainReport.Values"/>).</summary>
public sealed class ReportKeyRepeatedException(string key, int count)
    : Exception($"report {key} appears {count} times, not once");

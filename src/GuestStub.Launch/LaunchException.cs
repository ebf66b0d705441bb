using System;

namespace GuestStub.Launch;

/// <summary>
/// A boot that cannot be described or prepared as asked: a missing image or Xen, a value out of
/// range, a tool that failed. The message is one line for a person, naming what is wrong and,
/// where there is one, what to do (<c>./build.sh setup</c>, <c>./build.sh build</c>).
/// </summary>
public sealed class LaunchException(string message) : Exception(message);

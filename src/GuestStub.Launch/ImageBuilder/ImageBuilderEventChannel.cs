namespace GuestStub.Launch.ImageBuilder;

/// <summary>One <c>DOMU_STATIC_EVTCHNS</c> channel: the local port, the other domU's index in
/// the config (<c>DOMU_*[index]</c>) and its port.</summary>
public sealed record ImageBuilderEventChannel(uint LocalPort, int RemoteDomU, uint RemotePort);

using System;
using System.Linq;
using System.Text;
using GuestStub.Platform;
using GuestStub.Report;
using GuestStub.Xen;
using Xunit;

namespace GuestStub.Tests.Report;

/// <summary>
/// The verdict lines' own words: XTF's four verdicts in its order of severity, a phrase for
/// every reason, and lines short enough that Xen's vpl011 (arch/arm/vpl011.c flushes a domU's
/// line at SBSA_UART_OUT_BUF_SIZE - 2 = 126 characters) prints each whole when no failure is
/// appended to it.
/// </summary>
public class VerdictLineTests
{
    [Fact]
    public void The_verdicts_are_xtfs_words_in_xtfs_order()
    {
        Assert.Equal(new[] { "SUCCESS", "SKIP", "ERROR", "FAILURE" },
            Enum.GetValues<Verdict>().Select(v => Encoding.ASCII.GetString(VerdictText.Name(v))));
        Assert.Equal(Verdict.Failure, VerdictText.Worse(Verdict.Error, Verdict.Failure));
        Assert.Equal(Verdict.Skip, VerdictText.Worse(Verdict.Skip, Verdict.Success));
        Assert.Equal(Verdict.Error, VerdictText.Worse(Verdict.Skip, Verdict.Error));
    }

    [Fact]
    public void Every_reason_has_a_phrase_and_every_line_without_a_failure_fits_a_vpl011_line()
    {
        int longestName = Enum.GetValues<Check>().Max(c => CheckCatalogue.Name(c).Length);
        foreach (Reason reason in Enum.GetValues<Reason>().Where(r => r != Reason.None))
        {
            string phrase = Encoding.ASCII.GetString(ReasonText.Phrase(reason));
            Assert.False(phrase.Length == 0, $"{reason} has no phrase");
            int line = "report check.".Length + longestName + " FAILURE ".Length + phrase.Length;
            Assert.True(line <= 126, $"{reason}: a line of {line} characters would be split by Xen's vpl011: {phrase}");
        }
        Assert.Equal("", Encoding.ASCII.GetString(ReasonText.Phrase((Reason)(Enum.GetValues<Reason>().Length))));
    }

    [Theory]
    [InlineData(XenFailureCause.OutOfPages, Verdict.Error)]
    [InlineData(XenFailureCause.Timeout, Verdict.Error)]
    [InlineData(XenFailureCause.DomidMismatch, Verdict.Error)]
    [InlineData(XenFailureCause.Mismatch, Verdict.Failure)]
    [InlineData(XenFailureCause.UnexpectedPortState, Verdict.Failure)]
    public void A_stub_or_environment_failure_is_an_error_and_a_wrong_answer_of_xens_a_failure(XenFailureCause cause, Verdict verdict) =>
        Assert.Equal(verdict, Blame.Of(XenFailure.Stub(cause)));

    [Fact]
    public void A_refused_call_is_a_failure_unless_it_is_the_interface_version_of_a_release_the_stub_does_not_know()
    {
        XenFailure refused = XenFailure.FromResult(XenCall.GnttabQuerySize, -(int)XenErrno.EINVAL);
        Assert.Equal(Verdict.Failure, Blame.Of(refused));
        XenFailure known = XenFailure.FromResult(XenCall.DomctlGetDomainInfo, -(int)XenErrno.EACCES)
            .WithInterfaceVersion(0x17, XenInterfaces.For(4, 20).UnknownRelease);
        Assert.Equal(Verdict.Failure, Blame.Of(known));
        XenFailure unknown = XenFailure.FromResult(XenCall.DomctlGetDomainInfo, -(int)XenErrno.EACCES)
            .WithInterfaceVersion(0x13, XenInterfaces.For(4, 14).UnknownRelease);
        Assert.Equal(Verdict.Error, Blame.Of(unknown));
    }
}

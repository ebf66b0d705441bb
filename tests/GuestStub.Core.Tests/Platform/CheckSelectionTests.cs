using System;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using GuestStub.Platform;
using Xunit;

namespace GuestStub.Tests.Platform;

/// <summary>
/// The check catalogue and <c>gueststub.checks=</c>: every check has one name
/// <c>CATEGORY.CHECK</c> in the verdict contract's alphabet, a role and its stages; a word of
/// the argument selects a category, a full name or all, as xtf-runner selects tests, and a word
/// that names nothing is counted, never dropped.
/// </summary>
public class CheckSelectionTests
{
    private static string Name(Check c) => Encoding.ASCII.GetString(CheckCatalogue.Name(c));

    [Fact]
    public void Every_check_has_one_name_in_the_contracts_alphabet_and_a_row_in_each_table()
    {
        Check[] all = Enum.GetValues<Check>();
        Assert.Equal(CheckCatalogue.Count + 1, all.Length); // the checks and checks.selection
        Assert.Equal(CheckCatalogue.Count, CheckCatalogue.RoleRows);
        Assert.Equal(CheckCatalogue.Count, CheckCatalogue.StageRows);
        string[] names = all.Select(Name).ToArray();
        Assert.All(names, n => Assert.Matches(new Regex(@"^[a-z0-9-]+(\.[a-z0-9-]+)+$"), n));
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal("", Encoding.ASCII.GetString(CheckCatalogue.Name((Check)(CheckCatalogue.Count + 1))));
        for (int i = 0; i < CheckCatalogue.Count; i++)
            Assert.NotEqual((CheckRoles)0, CheckCatalogue.RolesOf((Check)i));
    }

    [Theory]
    [InlineData("grant", "grant.setup,grant.self-test")]
    [InlineData("ext-regions,grant", "grant.setup,ext-regions.registration,ext-regions.alignment,ext-regions.size,ext-regions.disjoint,grant.self-test,ext-regions.usable")]
    [InlineData("evtchn.upcall", "evtchn.upcall")]
    [InlineData("frontend.publish,domains", "frontend.publish,domains.wait")]
    [InlineData(",xen,,", "xen.identity,xen.shared-info")]
    public void A_word_selects_a_category_or_a_full_name(string argument, string expected)
    {
        CheckSelection s = CheckSelection.Parse(Encoding.ASCII.GetBytes(argument));
        string selected = string.Join(",", Enumerable.Range(0, CheckCatalogue.Count).Select(i => (Check)i).Where(s.Includes).Select(Name));
        Assert.Equal(expected, selected);
        Assert.Equal(0, s.UnknownWords);
    }

    [Fact]
    public void All_and_no_argument_select_every_check()
    {
        Assert.All(Enumerable.Range(0, CheckCatalogue.Count), i => Assert.True(CheckSelection.All.Includes((Check)i)));
        CheckSelection all = CheckSelection.Parse("all"u8);
        Assert.All(Enumerable.Range(0, CheckCatalogue.Count), i => Assert.True(all.Includes((Check)i)));
        Assert.False(CheckSelection.All.Includes(Check.ChecksSelection));
    }

    [Theory]
    [InlineData("grants", 1)]
    [InlineData("grant,xen.nope,GRANT", 2)]
    [InlineData("grant.", 1)]
    [InlineData("", 0)]
    public void Words_that_name_nothing_are_counted(string argument, int unknown)
    {
        CheckSelection s = CheckSelection.Parse(Encoding.ASCII.GetBytes(argument));
        Assert.Equal(unknown, s.UnknownWords);
    }

    [Fact]
    public void A_selection_runs_the_stages_its_checks_stand_on_for_the_role()
    {
        CheckStages peers = CheckSelection.Parse("peers.grant-map"u8).StagesFor(CheckRoles.Dom0);
        Assert.Equal(CheckStages.CrossDomain | CheckStages.Events | CheckStages.Pool | CheckStages.Regions, peers);
        // The same on a domU: not its check, nothing to run.
        Assert.Equal(CheckStages.None, CheckSelection.Parse("peers.grant-map"u8).StagesFor(CheckRoles.DomU));
        Assert.Equal(CheckStages.ScratchSelfTest | CheckStages.Pool | CheckStages.SelfGrant | CheckStages.Regions,
            CheckSelection.Parse("scratch.self-test"u8).StagesFor(CheckRoles.DomU));
        Assert.Equal(CheckStages.None, CheckSelection.Parse("xen"u8).StagesFor(CheckRoles.Dom0));
    }

    [Fact]
    public void The_boot_options_carry_the_selection_and_its_text()
    {
        BootOptions none = BootOptions.Parse(new BootArguments("console=hvc0"u8));
        Assert.False(none.ChecksGiven);
        Assert.True(none.Checks.Includes(Check.DomainsWait));
        BootOptions some = BootOptions.Parse(new BootArguments("console=hvc0 gueststub.checks=grant,nope"u8));
        Assert.True(some.ChecksGiven);
        Assert.Equal("grant,nope", Encoding.ASCII.GetString(some.ChecksArgument));
        Assert.True(some.Checks.Includes(Check.GrantSetup));
        Assert.False(some.Checks.Includes(Check.DomainsWait));
        Assert.Equal(1, some.Checks.UnknownWords);
    }
}

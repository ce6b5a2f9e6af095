using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using SupplierAssure.Core.Common;
using SupplierAssure.Core.QuestionBank;
using SupplierAssure.Core.Questionnaires;

namespace SupplierAssure.Core.Tests;

public sealed class TemplateVersionsTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));

    private static MemoryStream BankAsVersion(int version)
    {
        var bank = QuestionBankLoader.LoadBank();
        bank.Version = version;
        var stream = new MemoryStream();
        QuestionBankLoader.Write(bank, stream);
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public async Task Import_ValidFile_IsStoredAsDraftThenPublishedOnceAndFrozen()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        var handler = new TemplateVersionsHandler(db, _clock);

        var imported = await handler.ImportAsync(BankAsVersion(2), "/tmp/uploads/bank-v2.json", CancellationToken.None);
        Assert.True(imported.Succeeded);
        Assert.Equal((TemplateStatus.Draft, "bank-v2.json"), (imported.Template!.Status, imported.Template.SourceName));
        Assert.Null(await handler.LatestPublishedAsync(imported.Template.Code, CancellationToken.None));

        Assert.True((await handler.PublishAsync(imported.Template.Id, CancellationToken.None)).Succeeded);
        Assert.Equal(OutcomeStatus.Conflict, (await handler.PublishAsync(imported.Template.Id, CancellationToken.None)).Status);
        Assert.Equal(OutcomeStatus.Conflict, (await handler.DiscardDraftAsync(imported.Template.Id, CancellationToken.None)).Status);

        var latest = await handler.LatestPublishedAsync(imported.Template.Code, CancellationToken.None);
        Assert.Equal(2, latest!.Version);
        Assert.Equal(QuestionBankLoader.LoadBank().Questions.Count, latest.Questions.Count);
        Assert.Equal(_clock.GetUtcNow(), latest.PublishedAt);
    }

    [Fact]
    public async Task Import_ExistingVersion_IsRefusedAndNamesTheNextFreeVersion()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        var handler = new TemplateVersionsHandler(db, _clock);
        Assert.True((await handler.ImportAsync(BankAsVersion(1), "a.json", CancellationToken.None)).Succeeded);

        var again = await handler.ImportAsync(BankAsVersion(1), "b.json", CancellationToken.None);
        Assert.False(again.Succeeded);
        Assert.Contains("version 2", again.Conflict, StringComparison.Ordinal);
        Assert.Equal(1, await db.QuestionnaireTemplates.CountAsync());
    }

    [Fact]
    public async Task Import_InvalidFile_ReturnsEveryProblemAndStoresNothing()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        const string json = "{ \"code\": \"X\", \"version\": 1, \"title\": \"\",\n \"questions\": [] }";
        var result = await new TemplateVersionsHandler(db, _clock).ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "bad.json", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal([("$.title", 1), ("$.questions", 2)], result.Problems.Select(p => (p.Path, p.Line)));
        Assert.Equal(0, await db.QuestionnaireTemplates.CountAsync());
    }

    [Fact]
    public async Task DiscardDraft_Unused_RemovesIt()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var db = database.CreateContext();
        var handler = new TemplateVersionsHandler(db, _clock);
        var imported = await handler.ImportAsync(BankAsVersion(5), "a.json", CancellationToken.None);
        Assert.True((await handler.DiscardDraftAsync(imported.Template!.Id, CancellationToken.None)).Succeeded);
        Assert.Equal(0, await db.QuestionnaireTemplates.CountAsync());
    }
}

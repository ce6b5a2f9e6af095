using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using SupplierAssure.Core.Demo;
using SupplierAssure.TestSupport;

namespace SupplierAssure.Browser.Tests;

/// <summary>
/// The answering page's drop zone in Chromium: two files dropped on a question upload with their own progress bars and
/// join the question's evidence without a reload; a file of a refused type chosen with the native input shows the
/// server's message next to it and is announced.
/// </summary>
public sealed partial class EvidenceDragAndDropTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Supplier_DropsTwoFilesThenChoosesARefusedOne_BothListedAndTheRefusalExplained()
    {
        var assessment = DemoData.MeridianAssessmentId;
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("E-mail address").FillAsync(DemoData.SupplierUserEmail);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await page.GetByLabel("Password").FillAsync(PortalFactory.DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GotoAsync($"/Assessments/{assessment}");

        // Two files dragged from the desktop onto LEAD-01's box (the events a real drag fires, with real File objects).
        var zone = page.GetByTestId("dropzone-LEAD-01");
        await Assertions.Expect(zone).ToContainTextAsync("drop them in this box");
        var transfer = await page.EvaluateHandleAsync("""
            () => {
                const dt = new DataTransfer();
                dt.items.add(new File(['%PDF-1.7\n% gate log, June\n%%EOF\n'], 'gate log.pdf', { type: 'application/pdf' }));
                dt.items.add(new File(['Visitor register, June: 118 visitors, every one escorted.\n'], 'visitor register.txt', { type: 'text/plain' }));
                return dt;
            }
            """);
        await zone.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await Assertions.Expect(zone).ToHaveClassAsync(DragOver());
        await zone.DispatchEventAsync("drop", new { dataTransfer = transfer });

        var items = zone.GetByTestId("upload-item");
        await Assertions.Expect(items).ToHaveCountAsync(2);
        foreach (var name in new[] { "gate log.pdf", "visitor register.txt" })
        {
            var item = items.Filter(new() { HasText = name });
            await Assertions.Expect(item).ToHaveAttributeAsync("data-state", "done");
            await Assertions.Expect(item.GetByTestId("upload-state")).ToHaveTextAsync("Uploaded");
            await Assertions.Expect(page.GetByRole(AriaRole.Progressbar, new() { Name = $"Upload of {name}" })).ToHaveAttributeAsync("value", "100");
        }

        await Assertions.Expect(zone).Not.ToHaveClassAsync(DragOver());
        var list = page.GetByTestId("evidence-LEAD-01");
        await Assertions.Expect(list.GetByRole(AriaRole.Link, new() { Name = "gate log.pdf" })).ToBeVisibleAsync();
        await Assertions.Expect(list.GetByRole(AriaRole.Link, new() { Name = "visitor register.txt" })).ToBeVisibleAsync();
        var status = page.GetByTestId("dropzone-status-LEAD-01");
        await Assertions.Expect(status).ToHaveTextAsync("visitor register.txt uploaded.");

        // The native input (what a keyboard user reaches with Tab and Enter) with a Windows executable named as a PDF.
        var input = zone.Locator("input[type=file]");
        await input.FocusAsync();
        await Assertions.Expect(input).ToBeFocusedAsync();
        await input.SetInputFilesAsync(new FilePayload { Name = "invoice.pdf", MimeType = "application/pdf", Buffer = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00] });
        var refused = items.Filter(new() { HasText = "invoice.pdf" });
        await Assertions.Expect(refused).ToHaveAttributeAsync("data-state", "failed");
        await Assertions.Expect(refused.GetByTestId("upload-state")).ToContainTextAsync("Only PDF, PNG, JPEG, plain text, Office");
        await Assertions.Expect(status).ToContainTextAsync("invoice.pdf was not uploaded: ");
        await Assertions.Expect(list).Not.ToContainTextAsync("invoice.pdf");

        // Stored for good: after a reload the page lists the two, and the database holds exactly those for LEAD-01.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("evidence-LEAD-01")).ToContainTextAsync("gate log.pdf");
        await Assertions.Expect(page.GetByTestId("evidence-LEAD-01")).ToContainTextAsync("visitor register.txt");
        await using var db = fixture.Portal.CreateDbContext();
        var names = await db.EvidenceFiles.Where(e => e.AssessmentId == assessment && e.QuestionCode == "LEAD-01").Select(e => e.FileName).ToListAsync();
        Assert.Equal(["gate log.pdf", "visitor register.txt"], names.Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"\bdragover\b")]
    private static partial Regex DragOver();
}

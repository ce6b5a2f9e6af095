using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;
using SupplierAssure.Core.Suppliers;
using SupplierAssure.Portal.Features.Invitations;

namespace SupplierAssure.Portal.Features.Suppliers;

/// <summary>A contact the import could not invite (the supplier itself was created), and why.</summary>
public sealed record ImportNotInvited(int Row, Guid SupplierId, string LegalName, string Email, string Reason);

/// <summary>What a bulk import did: the line errors (nothing stored), or the suppliers created and whom they invited.</summary>
public sealed record ImportOutcome(IReadOnlyList<SupplierImportError> Errors, IReadOnlyList<ImportedSupplier> Imported, IReadOnlyList<ImportNotInvited> NotInvited)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// The bulk import for the page and the API: the suppliers are created all together or not at all, then each
/// contact is invited through the same invitation use case as a single invitation (supplier admin role, e-mailed
/// link, audit entry).
/// </summary>
public sealed partial class ImportOperations(SupplierImport import, SupplierInvitations invitations, AuditLog audit, ILogger<ImportOperations> logger)
{
    public async Task<ImportOutcome> ImportAsync(Stream content, Guid? importedBy, string actor, Func<string, string> linkFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkFor);
        var result = await import.ImportAsync(new SupplierImportRequest(content, importedBy), cancellationToken);
        if (!result.Succeeded)
        {
            return new(result.Errors, [], []);
        }

        await audit.AppendAsync(new AuditRecord(SupplierImportAuditKinds.Imported, importedBy, actor, null, "suppliers:import",
            $"{result.Imported.Count} supplier(s) created from a CSV file."), cancellationToken);

        return await InviteContactsAsync(result.Imported, importedBy, actor, s => $"Created by bulk import (line {s.Row}); contact {s.ContactName}.", linkFor, cancellationToken);
    }

    /// <summary>
    /// One supplier from the onboarding form or the API: the same checks as a line of a file (errors name the file's
    /// columns, row 0), then the same invitation of its contact as supplier admin.
    /// </summary>
    public async Task<ImportOutcome> OnboardOneAsync(IReadOnlyDictionary<string, string?> fields, Guid? importedBy, string actor, Func<string, string> linkFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(linkFor);
        var result = await import.ImportOneAsync(fields, importedBy, cancellationToken);
        if (!result.Succeeded)
        {
            return new(result.Errors, [], []);
        }

        return await InviteContactsAsync(result.Imported, importedBy, actor, s => $"Onboarded one supplier; contact {s.ContactName}.", linkFor, cancellationToken);
    }

    private async Task<ImportOutcome> InviteContactsAsync(IReadOnlyList<ImportedSupplier> created, Guid? importedBy, string actor, Func<ImportedSupplier, string> createdDetails,
        Func<string, string> linkFor, CancellationToken cancellationToken)
    {
        var notInvited = new List<ImportNotInvited>();
        foreach (var supplier in created)
        {
            await audit.AppendAsync(new AuditRecord(SupplierImportAuditKinds.Created, importedBy, actor, supplier.SupplierId, $"supplier:{supplier.SupplierId:D}",
                createdDetails(supplier)), cancellationToken);
            try
            {
                var invited = await invitations.InviteAsync(
                    new InviteSupplierContact(supplier.SupplierId, supplier.ContactEmail, Roles.SupplierAdmin, importedBy ?? Guid.Empty, supplier.ContactName), linkFor, cancellationToken);
                if (!invited.Succeeded)
                {
                    notInvited.Add(new(supplier.Row, supplier.SupplierId, supplier.LegalName, supplier.ContactEmail,
                        string.Join(" ", invited.Errors.SelectMany(e => e.Value))));
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The suppliers are saved; a contact whose invitation could not be sent is listed for the person to
                // invite again from the invitation page, rather than hiding the created suppliers behind an error page.
                LogNotInvited(ex, supplier.Row);
                notInvited.Add(new(supplier.Row, supplier.SupplierId, supplier.LegalName, supplier.ContactEmail,
                    "The invitation e-mail could not be sent; invite this contact again from the invitation page."));
            }
        }

        return new([], created, notInvited);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The invitation for the supplier of import line {Row} failed.")]
    private partial void LogNotInvited(Exception exception, int row);
}

public static class SupplierImportAuditKinds
{
    public const string Imported = "suppliers.imported";
    public const string Created = "supplier.created";
}

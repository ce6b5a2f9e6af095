using System.Security.Claims;
using SupplierAssure.Core.Auditing;
using SupplierAssure.Core.Identity;

namespace SupplierAssure.Portal.Identity;

/// <summary>Writes security events to the audit log with the acting user taken from the request.</summary>
public sealed class PortalAudit(AuditLog log, IHttpContextAccessor http)
{
    /// <summary>An event about <paramref name="user"/> done by that user (sign-in, MFA change, password reset).</summary>
    public Task RecordAsync(string kind, ApplicationUser user, CancellationToken cancellationToken, string? details = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        return log.AppendAsync(new AuditRecord(kind, user.Id, user.Email, user.SupplierId, $"user:{user.Id:D}", details), cancellationToken);
    }

    /// <summary>An event done by the signed-in user (or an anonymous caller) to <paramref name="subject"/>.</summary>
    public Task RecordAsync(string kind, string subject, Guid? supplierId, CancellationToken cancellationToken, string? details = null)
    {
        var principal = http.HttpContext?.User;
        Guid? actorId = Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
        var actor = principal?.Identity?.IsAuthenticated == true ? principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity.Name : null;
        return log.AppendAsync(new AuditRecord(kind, actorId, actor, supplierId, subject, details), cancellationToken);
    }
}

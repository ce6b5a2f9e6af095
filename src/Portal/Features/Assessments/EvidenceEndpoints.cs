using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Evidence;

namespace SupplierAssure.Portal.Features.Assessments;

public static class EvidenceEndpoints
{
    /// <summary>
    /// GET /evidence/{id}: the file as an attachment with nosniff, never inline, and only if the tenant-scoped
    /// context can see its row (another organisation's file is a 404, like a missing one).
    /// </summary>
    public static IEndpointRouteBuilder MapEvidenceDownloads(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/evidence/{id:guid}", async (Guid id, SupplierAssureDbContext db, IEvidenceStore store, HttpContext http, CancellationToken ct) =>
        {
            var file = await db.EvidenceFiles.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id, ct);
            if (file is null)
            {
                return Results.NotFound();
            }

            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, no-store";
            var stream = await store.OpenReadAsync(file.StorageKey, ct);
            return Results.File(stream, file.ContentType, file.FileName, enableRangeProcessing: false);
        }).RequireAuthorization();
        return app;
    }
}

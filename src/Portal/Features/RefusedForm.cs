using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Core.Infrastructure;

namespace SupplierAssure.Portal.Features;

/// <summary>Why a posted form was turned away before its page handled it, for the error page to explain.</summary>
public enum RefusedForm
{
    /// <summary>The antiforgery token was missing or no longer valid (a page left open across a sign-out).</summary>
    Expired,

    /// <summary>The form could not be read at all: more fields or data than the host's form limits allow.</summary>
    Unreadable,
}

/// <summary>
/// Notes on the request when the framework's antiforgery check refused a form, so the status-code page can say what
/// happened and what to do instead of a bare "bad request". Runs for results that authorization filters produce.
/// </summary>
public sealed class RefusedFormFilter : IAlwaysRunResultFilter
{
    private static readonly object Key = new();

    public static RefusedForm? Of(HttpContext context) =>
        context?.Items.TryGetValue(Key, out var value) == true ? (RefusedForm)value! : null;

    public void OnResultExecuting(ResultExecutingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Result is IAntiforgeryValidationFailedResult)
        {
            // The antiforgery check reads the form for its token; a form over the limits fails there and is never
            // parsed, which is how the two causes are told apart.
            var request = context.HttpContext.Request;
            var parsed = context.HttpContext.Features.Get<IFormFeature>()?.Form is not null;
            context.HttpContext.Items[Key] = request.HasFormContentType && !parsed ? RefusedForm.Unreadable : RefusedForm.Expired;
        }
    }

    public void OnResultExecuted(ResultExecutedContext context)
    {
    }
}

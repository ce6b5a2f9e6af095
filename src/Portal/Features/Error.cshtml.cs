using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SupplierAssure.Portal.Features;

[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "We could not complete your request. It has been logged; please try again.";
    public string? RequestId { get; private set; }

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        // The re-executed request keeps the refused body; when that is a form over the limits, binding fails as a whole
        // and leaves the code unbound, so the status being answered is taken from the response.
        code ??= HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null ? Response.StatusCode : null;
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        (Title, Message) = code switch
        {
            404 => ("Not found", "There is nothing here, or you do not have access to it."),
            400 => ("Bad request", "The request could not be understood. Go back, check what you entered and try again."),
            403 => ("Not allowed", "Your account does not have access to this page."),
            429 => ("Too many attempts", "Please wait a minute before trying again."),
            _ => (Title, Message),
        };
        // A form refused before its page ran, by the antiforgery check (RefusedFormFilter notes which way).
        (Title, Message) = (code == 400 ? RefusedFormFilter.Of(HttpContext) : null) switch
        {
            RefusedForm.Unreadable => ("This form could not be read",
                "It holds more fields or data than the Portal accepts in one request, so nothing was saved. Go back and send it in smaller parts; if this keeps happening on the same page, tell your administrator which page it was."),
            RefusedForm.Expired => ("This form has expired",
                "The Portal could not confirm that this form came from a page it gave you, so nothing was saved. This happens when a page stays open while you sign out or sign in again. Go back, reload the page and send the form again."),
            _ => (Title, Message),
        };
    }
}

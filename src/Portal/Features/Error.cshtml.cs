using System.Diagnostics;
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
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        (Title, Message) = code switch
        {
            404 => ("Not found", "There is nothing here, or you do not have access to it."),
            400 => ("Bad request", "The request could not be understood. Go back, check what you entered and try again."),
            403 => ("Not allowed", "Your account does not have access to this page."),
            429 => ("Too many attempts", "Please wait a minute before trying again."),
            _ => (Title, Message),
        };
    }
}

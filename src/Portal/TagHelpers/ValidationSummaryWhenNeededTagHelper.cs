using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SupplierAssure.Portal.TagHelpers;

/// <summary>
/// Leaves a validation summary out of the page when it has nothing to list. With nothing to list, the framework's
/// summary still writes a placeholder list item with an inline <c>style="display:none"</c> (for client-side validation
/// scripts, which the Portal does not use); our Content-Security-Policy (<c>style-src 'self'</c>) refuses that style and
/// the browser reports a violation on every form page. An empty <c>role="alert"</c> region also has no reason to be there.
/// </summary>
[HtmlTargetElement("div", Attributes = SummaryAttribute)]
public sealed class ValidationSummaryWhenNeededTagHelper : TagHelper
{
    private const string SummaryAttribute = "asp-validation-summary";

    /// <summary>After the framework's ValidationSummaryTagHelper, so nothing it writes comes back.</summary>
    public override int Order => 1000;

    [HtmlAttributeName(SummaryAttribute)]
    public ValidationSummary ValidationSummary { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var modelState = ViewContext.ViewData.ModelState;
        var listsSomething = ValidationSummary switch
        {
            ValidationSummary.All => modelState.ErrorCount > 0,
            // Model-level errors are the ones keyed by the form's own prefix (the empty key on our pages).
            ValidationSummary.ModelOnly => modelState.TryGetValue(ViewContext.ViewData.TemplateInfo.HtmlFieldPrefix, out var entry) && entry.Errors.Count > 0,
            _ => true,
        };
        if (!listsSomething)
        {
            output.SuppressOutput();
        }
    }
}

using Microsoft.AspNetCore.Mvc.ModelBinding;
using SupplierAssure.Core.Common;

namespace SupplierAssure.Portal.Extensions;

public static class ModelStateOutcomeExtensions
{
    /// <summary>Puts a use case's field errors on the page's model state, each beside the field it names.</summary>
    public static void AddOutcomeErrors(this ModelStateDictionary modelState, Outcome outcome)
    {
        ArgumentNullException.ThrowIfNull(modelState);
        ArgumentNullException.ThrowIfNull(outcome);
        foreach (var (field, messages) in outcome.Errors)
        {
            foreach (var message in messages)
            {
                modelState.AddModelError(field, message);
            }
        }
    }
}

using System.Globalization;
using System.Text.Json;
using SupplierAssure.Core.Findings;

namespace SupplierAssure.Core.Policies;

/// <summary>How long each remediation stage may take for one grade of nonconformity, in days.</summary>
public sealed record RemediationPeriods(int ActionPlanDays, int ImplementationDays, int VerificationDays, int ReworkDays);

/// <summary>
/// The timing rules the workflows follow: when to remind, when to escalate, how long remediation may take, how often
/// credentials are checked again and when their expiry is announced. Published as numbered versions; a running
/// workflow instance reads the version it started with, so a later edit never moves a deadline already promised.
/// Version 0 is the shipped default and applies until an administrator publishes one.
/// </summary>
public sealed record WorkflowPolicy(
    int Version,
    IReadOnlyList<int> ReminderDaysBefore,
    int EscalationDaysAfter,
    RemediationPeriods Major,
    RemediationPeriods Minor,
    int QuestionnaireAnswerDays,
    int CredentialReverificationDays,
    int CredentialExpiryWarningDays)
{
    public const int MaxDays = 3650;
    public const int MaxReminders = 5;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static WorkflowPolicy Default { get; } = new(
        0,
        [7, 1],
        1,
        new RemediationPeriods(ActionPlanDays: 14, ImplementationDays: 60, VerificationDays: 14, ReworkDays: 30),
        new RemediationPeriods(ActionPlanDays: 30, ImplementationDays: 90, VerificationDays: 21, ReworkDays: 45),
        QuestionnaireAnswerDays: 30,
        CredentialReverificationDays: 90,
        CredentialExpiryWarningDays: 60);

    /// <summary>The due periods for a grade; an opportunity for improvement is not remediated under a deadline.</summary>
    public RemediationPeriods PeriodsFor(NonconformityGrade grade) => grade switch
    {
        NonconformityGrade.MajorNonconformity => Major,
        NonconformityGrade.MinorNonconformity => Minor,
        _ => throw new ArgumentOutOfRangeException(nameof(grade), grade, "Only nonconformities are remediated under deadlines."),
    };

    /// <summary>Every problem with this draft, keyed by the form field it concerns; empty when it can be published.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (ReminderDaysBefore is null || ReminderDaysBefore.Count == 0)
        {
            errors[nameof(ReminderDaysBefore)] = ["Give at least one reminder, in whole days before the due date."];
        }
        else if (ReminderDaysBefore.Count > MaxReminders)
        {
            errors[nameof(ReminderDaysBefore)] = [string.Create(CultureInfo.InvariantCulture, $"At most {MaxReminders} reminders.")];
        }
        else if (ReminderDaysBefore.Any(d => d < 0 || d > 365))
        {
            errors[nameof(ReminderDaysBefore)] = ["Each reminder is between 0 and 365 days before the due date."];
        }
        else if (ReminderDaysBefore.Distinct().Count() != ReminderDaysBefore.Count)
        {
            errors[nameof(ReminderDaysBefore)] = ["Each reminder offset may appear once."];
        }

        Range(errors, nameof(EscalationDaysAfter), EscalationDaysAfter, 0, 365);
        Periods(errors, "Major", Major);
        Periods(errors, "Minor", Minor);
        Range(errors, nameof(QuestionnaireAnswerDays), QuestionnaireAnswerDays, 1, 365);
        Range(errors, nameof(CredentialReverificationDays), CredentialReverificationDays, 1, MaxDays);
        Range(errors, nameof(CredentialExpiryWarningDays), CredentialExpiryWarningDays, 1, 365);
        if (Major is not null && Minor is not null && !errors.Keys.Any(k => k.StartsWith("Major", StringComparison.Ordinal) || k.StartsWith("Minor", StringComparison.Ordinal))
            && Major.ImplementationDays > Minor.ImplementationDays)
        {
            errors["MajorImplementationDays"] = ["A major nonconformity cannot be given longer to fix than a minor one."];
        }

        return errors;
    }

    public string ToJson() => JsonSerializer.Serialize(this with { Version = 0 }, Json);

    /// <summary>Reads a stored version. Stored versions were validated when published, so a bad one is a defect, not input.</summary>
    public static WorkflowPolicy Parse(string json, int version)
    {
        var policy = JsonSerializer.Deserialize<WorkflowPolicy>(json, Json)
            ?? throw new InvalidOperationException($"Workflow policy version {version} is empty.");
        return policy with { Version = version, ReminderDaysBefore = [.. policy.ReminderDaysBefore.OrderDescending()] };
    }

    private static void Periods(Dictionary<string, string[]> errors, string prefix, RemediationPeriods? periods)
    {
        if (periods is null)
        {
            errors[prefix] = ["Give the due periods for this grade."];
            return;
        }

        Range(errors, prefix + nameof(RemediationPeriods.ActionPlanDays), periods.ActionPlanDays, 1, 365);
        Range(errors, prefix + nameof(RemediationPeriods.ImplementationDays), periods.ImplementationDays, 1, MaxDays);
        Range(errors, prefix + nameof(RemediationPeriods.VerificationDays), periods.VerificationDays, 1, 365);
        Range(errors, prefix + nameof(RemediationPeriods.ReworkDays), periods.ReworkDays, 1, 365);
        if (periods.ImplementationDays < periods.ActionPlanDays && !errors.ContainsKey(prefix + nameof(RemediationPeriods.ImplementationDays)))
        {
            errors[prefix + nameof(RemediationPeriods.ImplementationDays)] = ["Implementation cannot be due before the action plan."];
        }
    }

    private static void Range(Dictionary<string, string[]> errors, string field, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors[field] = [string.Create(CultureInfo.InvariantCulture, $"Enter a whole number of days from {min} to {max}.")];
        }
    }
}

/// <summary>One published version of the <see cref="WorkflowPolicy"/>; never changed after publishing.</summary>
public sealed class WorkflowPolicyVersion
{
    public Guid Id { get; set; }
    public int Version { get; set; }
    public required string Json { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public Guid? PublishedBy { get; set; }
}

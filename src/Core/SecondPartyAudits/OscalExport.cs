using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using SupplierAssure.Core.Data;
using SupplierAssure.Core.Remediation;

namespace SupplierAssure.Core.SecondPartyAudits;

/// <summary>The three OSCAL models an audit is exported as.</summary>
public enum OscalModel
{
    /// <summary>The audit as planned: objectives, scope, criteria, team, visit and the ten steps.</summary>
    AssessmentPlan,

    /// <summary>The findings with their objective evidence.</summary>
    AssessmentResults,

    /// <summary>The audit's corrective actions that are not closed yet.</summary>
    Poam,
}

/// <summary>An export ready to download: the file name and the UTF-8 JSON.</summary>
public sealed record OscalDocument(string FileName, byte[] Json);

/// <summary>
/// Writes an audit as OSCAL 1.0.6 JSON: an assessment plan, assessment results, and a plan of action and milestones
/// for its open corrective actions. Reads through the tenant-scoped context, so a supplier's user exports only its
/// own audits and sees findings only once released, exactly as on the pages. OSCAL identifiers must be version 4 or
/// 5 UUIDs: each is derived (version 5) from our id and what it names, so repeated exports keep them stable. Every
/// array the schemas allow is left out when empty (they require at least one item).
/// </summary>
public sealed class OscalExporter(SupplierAssureDbContext db, TimeProvider clock)
{
    public const string OscalVersion = "1.0.6";

    /// <summary>The namespace of our own property names (grade, site, owner…), as OSCAL asks for non-core names.</summary>
    public const string PropertyNamespace = "https://supplierassure.example/ns/oscal";

    private static readonly Guid UuidNamespace = new("6f1c2a5e-3b7d-4e58-9a0c-2d4b6e8f1a3c");

    public static string FileNameFor(OscalModel model) => model switch
    {
        OscalModel.AssessmentPlan => "assessment-plan",
        OscalModel.AssessmentResults => "assessment-results",
        _ => "poam",
    };

    public static OscalModel? Parse(string? model) => model switch
    {
        "assessment-plan" => OscalModel.AssessmentPlan,
        "assessment-results" => OscalModel.AssessmentResults,
        "poam" => OscalModel.Poam,
        _ => null,
    };

    /// <summary>Null when the audit is not visible to the caller (or, for a POA&amp;M, has no open corrective action).</summary>
    public async Task<OscalDocument?> ExportAsync(Guid auditId, OscalModel model, CancellationToken cancellationToken)
    {
        var source = await LoadAsync(auditId, cancellationToken);
        if (source is null)
        {
            return null;
        }

        JsonObject? root = model switch
        {
            OscalModel.AssessmentPlan => new JsonObject { ["assessment-plan"] = Plan(source) },
            OscalModel.AssessmentResults => new JsonObject { ["assessment-results"] = Results(source) },
            _ => source.OpenCases.Count == 0 ? null : new JsonObject { ["plan-of-action-and-milestones"] = Poam(source) },
        };
        if (root is null)
        {
            return null;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(root, new JsonSerializerOptions { WriteIndented = true });
        var name = $"audit-{source.Audit.VisitStart?.UtcDateTime ?? source.Audit.CreatedAt.UtcDateTime:yyyyMMdd}-{auditId.ToString()[..8]}-{FileNameFor(model)}.json";
        return new OscalDocument(name, json);
    }

    /// <summary>Whether the audit has corrective actions that are not closed (the POA&amp;M needs at least one item).</summary>
    public Task<bool> HasOpenCorrectiveActionsAsync(Guid auditId, CancellationToken cancellationToken) =>
        (from finding in db.Set<AuditFinding>()
         join remediation in db.Set<RemediationCase>() on finding.AssessmentFindingId equals remediation.FindingId
         where finding.AuditId == auditId && remediation.State != RemediationState.Closed
         select remediation.Id).AnyAsync(cancellationToken);

    private sealed record Member(Guid UserId, string Name, bool IsLead);

    private sealed record Source(
        SupplierAudit Audit,
        string SupplierName,
        string OperatorName,
        IReadOnlyList<Member> Team,
        IReadOnlyList<AuditStep> Steps,
        IReadOnlyList<AuditFinding> Findings,
        IReadOnlyList<RemediationCase> OpenCases,
        DateTimeOffset Now);

    private async Task<Source?> LoadAsync(Guid auditId, CancellationToken cancellationToken)
    {
        var audit = await db.Set<SupplierAudit>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == auditId, cancellationToken);
        if (audit is null)
        {
            return null;
        }

        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == audit.SupplierId).Select(s => s.LegalName).SingleAsync(cancellationToken);
        var operatorName = await db.OperatorOrganisations.AsNoTracking().OrderBy(o => o.Id).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken) ?? "Operator";
        var team = await (from m in db.Set<AuditTeamMember>().AsNoTracking()
                          join u in db.Users on m.UserId equals u.Id
                          where m.AuditId == auditId && m.Declaration == IndependenceDeclaration.Independent
                          orderby m.IsLead descending, m.AddedAt
                          select new Member(m.UserId, u.DisplayName, m.IsLead)).ToListAsync(cancellationToken);
        var steps = await db.Set<AuditStep>().AsNoTracking().Where(s => s.AuditId == auditId).OrderBy(s => s.Number).ToListAsync(cancellationToken);
        var findings = await db.Set<AuditFinding>().AsNoTracking().Where(f => f.AuditId == auditId).OrderBy(f => f.RecordedAt).ToListAsync(cancellationToken);
        var raised = findings.Where(f => f.AssessmentFindingId != null).Select(f => f.AssessmentFindingId!.Value).ToList();
        var open = await db.Set<RemediationCase>().AsNoTracking()
            .Where(r => raised.Contains(r.FindingId) && r.State != RemediationState.Closed).ToListAsync(cancellationToken);
        return new Source(audit, supplier, operatorName, team, steps, findings, [.. open.OrderBy(r => findings.FindIndex(f => f.AssessmentFindingId == r.FindingId))], clock.GetUtcNow());
    }

    private static JsonObject Plan(Source s)
    {
        var audit = s.Audit;
        var tasks = new JsonArray();
        foreach (var step in AuditSteps.All)
        {
            var task = new JsonObject
            {
                ["uuid"] = Id("task", audit.Id, step.Number.ToString(CultureInfo.InvariantCulture)),
                ["type"] = "action",
                ["title"] = $"{step.Number}. {step.Title}",
                ["description"] = step.Prompt,
            };
            if (step.Number == AuditSteps.OpeningMeeting && audit.VisitStart is { } start && audit.VisitEnd is { } end)
            {
                task["timing"] = new JsonObject { ["within-date-range"] = new JsonObject { ["start"] = When(start), ["end"] = When(end) } };
            }

            if (s.Steps.FirstOrDefault(x => x.Number == step.Number) is { CompletedAt: not null, Records: { } records })
            {
                task["remarks"] = records;
            }

            tasks.Add(task);
        }

        var plan = new JsonObject
        {
            ["uuid"] = Id("assessment-plan", audit.Id),
            ["metadata"] = Metadata(s, $"Audit plan: {VisitInviteBuilder.Describe(audit.Type)} of {s.SupplierName}"),
            ["import-ssp"] = ImportSsp(s),
            ["reviewed-controls"] = ReviewedControls(audit),
            ["assessment-subjects"] = Subjects(s),
            ["tasks"] = tasks,
        };
        return plan;
    }

    private static JsonObject Results(Source s)
    {
        var audit = s.Audit;
        var observations = new JsonArray();
        var findings = new JsonArray();
        foreach (var f in s.Findings)
        {
            var observationId = Id("observation", f.Id);
            var observation = new JsonObject
            {
                ["uuid"] = observationId,
                ["title"] = $"Objective evidence for {f.Reference}",
                ["description"] = f.Evidence,
                ["methods"] = new JsonArray("EXAMINE"),
                ["types"] = new JsonArray("finding"),
                ["collected"] = When(f.RecordedAt),
            };
            Add(observation, "props", Props(("site", f.Site)));
            observations.Add(observation);

            var satisfied = f.Grade is AuditGrade.Conformity or AuditGrade.OpportunityForImprovement;
            var finding = new JsonObject
            {
                ["uuid"] = Id("finding", f.Id),
                ["title"] = $"{Grade(f.Grade)}: {f.Reference}",
                ["description"] = f.Evidence,
                ["props"] = Props(("grade", Token(f.Grade)), ("site", f.Site)),
                ["target"] = new JsonObject
                {
                    ["type"] = "objective-id",
                    ["target-id"] = ControlId(f.Reference),
                    ["status"] = new JsonObject
                    {
                        ["state"] = satisfied ? "satisfied" : "not-satisfied",
                        ["reason"] = satisfied ? "pass" : "fail",
                    },
                },
                ["related-observations"] = new JsonArray(new JsonObject { ["observation-uuid"] = observationId }),
            };
            findings.Add(finding);
        }

        var result = new JsonObject
        {
            ["uuid"] = Id("result", audit.Id),
            ["title"] = $"Findings of the {VisitInviteBuilder.Describe(audit.Type).ToLowerInvariant()} of {s.SupplierName}",
            ["description"] = s.Findings.Count == 0
                ? "No findings are recorded (or none are released to you yet)."
                : $"{s.Findings.Count} finding(s), {s.Findings.Count(f => f.IsNonconformity)} of them nonconformities.",
            ["start"] = When(audit.VisitStart ?? audit.CreatedAt),
            ["reviewed-controls"] = ReviewedControls(audit),
        };
        if (audit.FindingsReleasedAt is { } released)
        {
            result["end"] = When(released);
        }

        Add(result, "observations", observations);
        Add(result, "findings", findings);
        return new JsonObject
        {
            ["uuid"] = Id("assessment-results", audit.Id),
            ["metadata"] = Metadata(s, $"Audit results: {VisitInviteBuilder.Describe(audit.Type)} of {s.SupplierName}"),
            ["import-ap"] = new JsonObject
            {
                ["href"] = $"/Audits/{audit.Id}?handler=Oscal&model=assessment-plan",
                ["remarks"] = "The assessment plan export of the same audit.",
            },
            ["results"] = new JsonArray(result),
        };
    }

    private static JsonObject Poam(Source s)
    {
        var audit = s.Audit;
        var byRaised = s.Findings.Where(f => f.AssessmentFindingId != null).ToDictionary(f => f.AssessmentFindingId!.Value);
        var observations = new JsonArray();
        var findings = new JsonArray();
        var risks = new JsonArray();
        var items = new JsonArray();
        foreach (var c in s.OpenCases)
        {
            var f = byRaised[c.FindingId];
            var observationId = Id("observation", f.Id);
            var findingId = Id("finding", f.Id);
            var riskId = Id("risk", c.Id);
            observations.Add(new JsonObject
            {
                ["uuid"] = observationId,
                ["description"] = f.Evidence,
                ["methods"] = new JsonArray("EXAMINE"),
                ["collected"] = When(f.RecordedAt),
            });
            findings.Add(new JsonObject
            {
                ["uuid"] = findingId,
                ["title"] = $"{Grade(f.Grade)}: {f.Reference}",
                ["description"] = f.Evidence,
                ["target"] = new JsonObject
                {
                    ["type"] = "objective-id",
                    ["target-id"] = ControlId(f.Reference),
                    ["status"] = new JsonObject { ["state"] = "not-satisfied", ["reason"] = "fail" },
                },
                ["related-observations"] = new JsonArray(new JsonObject { ["observation-uuid"] = observationId }),
            });

            var risk = new JsonObject
            {
                ["uuid"] = riskId,
                ["title"] = $"{Grade(f.Grade)} against {f.Reference} not yet corrected",
                ["description"] = f.Evidence,
                ["statement"] = c.RootCause is null ? "Root cause not analysed yet." : $"Root cause analysis (why, why…):\n{c.RootCause}",
                ["status"] = c.State == RemediationState.ActionPlanDue ? "open" : "remediating",
            };
            if (c.CurrentDueAt is { } due)
            {
                risk["deadline"] = When(due);
            }

            var responses = new JsonArray();
            if (c.Correction is not null)
            {
                responses.Add(new JsonObject { ["uuid"] = Id("correction", c.Id), ["lifecycle"] = "planned", ["title"] = "Correction", ["description"] = c.Correction });
            }

            if (c.ActionPlan is not null)
            {
                var action = new JsonObject
                {
                    ["uuid"] = Id("corrective-action", c.Id),
                    ["lifecycle"] = c.ImplementedAt is null ? "planned" : "completed",
                    ["title"] = "Corrective action",
                    ["description"] = c.ActionPlan,
                    ["tasks"] = new JsonArray(new JsonObject
                    {
                        ["uuid"] = Id("implementation", c.Id),
                        ["type"] = "milestone",
                        ["title"] = "Implemented",
                        ["timing"] = new JsonObject { ["on-date"] = new JsonObject { ["date"] = When(c.ImplementationDueAt) } },
                    }),
                };
                Add(action, "remarks", c.ImplementationNote);
                responses.Add(action);
            }

            Add(risk, "remediations", responses);
            risks.Add(risk);

            var item = new JsonObject
            {
                ["uuid"] = Id("poam-item", c.Id),
                ["title"] = $"Corrective action for {Grade(f.Grade).ToLowerInvariant()} against {f.Reference}",
                ["description"] = f.Evidence,
                ["props"] = Props(("grade", Token(f.Grade)), ("stage", State(c.State)), ("owner", c.Owner), ("round", c.Round.ToString(CultureInfo.InvariantCulture))),
                ["links"] = new JsonArray(new JsonObject { ["href"] = $"/Remediation/{c.Id}", ["rel"] = "related", ["text"] = "Remediation case" }),
                ["related-findings"] = new JsonArray(new JsonObject { ["finding-uuid"] = findingId }),
                ["related-observations"] = new JsonArray(new JsonObject { ["observation-uuid"] = observationId }),
                ["related-risks"] = new JsonArray(new JsonObject { ["risk-uuid"] = riskId }),
            };
            items.Add(item);
        }

        return new JsonObject
        {
            ["uuid"] = Id("poam", audit.Id),
            ["metadata"] = Metadata(s, $"Open corrective actions: {VisitInviteBuilder.Describe(audit.Type)} of {s.SupplierName}"),
            ["import-ssp"] = ImportSsp(s),
            ["observations"] = observations,
            ["risks"] = risks,
            ["findings"] = findings,
            ["poam-items"] = items,
        };
    }

    private static JsonObject Metadata(Source s, string title)
    {
        var parties = new JsonArray
        {
            new JsonObject { ["uuid"] = Id("party", s.Audit.SupplierId), ["type"] = "organization", ["name"] = Line(s.SupplierName) },
            new JsonObject { ["uuid"] = Id("party-operator", s.Audit.Id), ["type"] = "organization", ["name"] = Line(s.OperatorName) },
        };
        foreach (var m in s.Team)
        {
            parties.Add(new JsonObject { ["uuid"] = Id("party", m.UserId), ["type"] = "person", ["name"] = Line(m.Name) });
        }

        var responsible = new JsonArray
        {
            new JsonObject { ["role-id"] = "auditee", ["party-uuids"] = new JsonArray(Id("party", s.Audit.SupplierId)) },
            new JsonObject { ["role-id"] = "audit-client", ["party-uuids"] = new JsonArray(Id("party-operator", s.Audit.Id)) },
        };
        if (s.Team.Where(m => m.IsLead).Select(m => Id("party", m.UserId)).ToList() is { Count: > 0 } leads)
        {
            responsible.Add(new JsonObject { ["role-id"] = "lead-auditor", ["party-uuids"] = new JsonArray([.. leads.Select(l => (JsonNode)l)]) });
        }

        if (s.Team.Where(m => !m.IsLead).Select(m => Id("party", m.UserId)).ToList() is { Count: > 0 } members)
        {
            responsible.Add(new JsonObject { ["role-id"] = "auditor", ["party-uuids"] = new JsonArray([.. members.Select(l => (JsonNode)l)]) });
        }

        return new JsonObject
        {
            ["title"] = title,
            ["last-modified"] = When(s.Now),
            ["version"] = s.Audit.Version.ToString(CultureInfo.InvariantCulture),
            ["oscal-version"] = OscalVersion,
            ["roles"] = new JsonArray
            {
                new JsonObject { ["id"] = "auditee", ["title"] = "Audited supplier" },
                new JsonObject { ["id"] = "audit-client", ["title"] = "Organisation commissioning the audit" },
                new JsonObject { ["id"] = "lead-auditor", ["title"] = "Lead auditor" },
                new JsonObject { ["id"] = "auditor", ["title"] = "Auditor" },
            },
            ["parties"] = parties,
            ["responsible-parties"] = responsible,
            ["remarks"] = "Second-party audit against ISO 28000:2022 exported by SupplierAssure. Controls are the standard's clauses (iso28000-8) and the operator's control domains (domain-cargo).",
        };
    }

    /// <summary>
    /// OSCAL plans point at a system security plan; a supplier has none, so the reference is to the supplier's
    /// record in the Portal (a relative reference, resolved against the Portal that exported the file).
    /// </summary>
    private static JsonObject ImportSsp(Source s) => new()
    {
        ["href"] = $"/Suppliers/{s.Audit.SupplierId}",
        ["remarks"] = $"{s.SupplierName} has no system security plan; this refers to its supplier record.",
    };

    private static JsonObject ReviewedControls(SupplierAudit audit)
    {
        var clauses = AuditCriteria.ParseClauses(audit.CriteriaClauses) ?? [];
        var selection = new JsonObject
        {
            ["description"] = clauses.Count == 0
                ? "All clauses of ISO 28000:2022."
                : "ISO 28000:2022 clauses " + string.Join(", ", clauses) + ".",
        };
        if (clauses.Count == 0)
        {
            selection["include-all"] = new JsonObject();
        }
        else
        {
            selection["include-controls"] = new JsonArray([.. clauses.Select(c => (JsonNode)new JsonObject { ["control-id"] = ControlId(c) })]);
        }

        var reviewed = new JsonObject
        {
            ["description"] = audit.Objectives,
            ["control-selections"] = new JsonArray(selection),
        };
        Add(reviewed, "remarks", audit.OwnRequirements is null ? null : "The operator's own requirements are criteria too: " + audit.OwnRequirements);
        return reviewed;
    }

    private static JsonArray Subjects(Source s)
    {
        var audit = s.Audit;
        var scope = new[] { ("Sites", audit.ScopeSites), ("Processes", audit.ScopeProcesses), ("Transport modes", audit.ScopeModes) }
            .Where(x => x.Item2 is not null).Select(x => $"{x.Item1}: {x.Item2}").ToList();
        var subject = new JsonObject
        {
            ["type"] = "party",
            ["description"] = scope.Count == 0 ? s.SupplierName : $"{s.SupplierName}. " + string.Join(". ", scope) + ".",
            ["include-subjects"] = new JsonArray(new JsonObject { ["subject-uuid"] = Id("party", audit.SupplierId), ["type"] = "party" }),
        };
        Add(subject, "props", Props(("sites", audit.ScopeSites), ("processes", audit.ScopeProcesses), ("modes", audit.ScopeModes)));
        return new JsonArray(subject);
    }

    /// <summary>Our properties, skipping empty values (OSCAL values are single-line, non-empty strings).</summary>
    private static JsonArray Props(params (string Name, string? Value)[] values) =>
        new([.. values.Where(v => !string.IsNullOrWhiteSpace(v.Value))
            .Select(v => (JsonNode)new JsonObject { ["name"] = v.Name, ["ns"] = PropertyNamespace, ["value"] = Line(v.Value!) })]);

    /// <summary>Adds a value unless it is null or an empty array (the schemas reject empty arrays).</summary>
    private static void Add(JsonObject target, string name, JsonNode? value)
    {
        if (value is null || value is JsonArray { Count: 0 })
        {
            return;
        }

        target[name] = value;
    }

    private static void Add(JsonObject target, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            target[name] = value;
        }
    }

    /// <summary>A clause ("8.1") or control domain ("cargo") as an OSCAL token (a name that starts with a letter).</summary>
    public static string ControlId(string reference) =>
        AuditCriteria.Domains.Contains(reference, StringComparer.OrdinalIgnoreCase)
            ? "domain-" + reference.ToLowerInvariant()
            : "iso28000-" + reference;

    private static string Grade(AuditGrade grade) => grade switch
    {
        AuditGrade.Conformity => "Conformity",
        AuditGrade.MinorNonconformity => "Minor nonconformity",
        AuditGrade.MajorNonconformity => "Major nonconformity",
        _ => "Opportunity for improvement",
    };

    private static string Token(AuditGrade grade) => grade switch
    {
        AuditGrade.Conformity => "conformity",
        AuditGrade.MinorNonconformity => "minor-nonconformity",
        AuditGrade.MajorNonconformity => "major-nonconformity",
        _ => "opportunity-for-improvement",
    };

    private static string State(RemediationState state) => state switch
    {
        RemediationState.ActionPlanDue => "action-plan-due",
        RemediationState.ImplementationDue => "implementation-due",
        RemediationState.VerificationDue => "verification-due",
        _ => "closed",
    };

    /// <summary>One line without leading or trailing space, as OSCAL's string type requires.</summary>
    private static string Line(string value) =>
        string.Join(' ', value.Split((char[])[' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries)) is { Length: > 0 } line ? line : "-";

    private static string When(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A name-based (version 5, RFC 4122) UUID for what <paramref name="kind"/> names about <paramref name="id"/>.</summary>
    public static string Id(string kind, Guid id, string? part = null)
    {
        var name = Encoding.UTF8.GetBytes(part is null ? $"{kind}:{id:D}" : $"{kind}:{id:D}:{part}");
        var space = UuidNamespace.ToByteArray(bigEndian: true);
        var input = new byte[space.Length + name.Length];
        space.CopyTo(input, 0);
        name.CopyTo(input, space.Length);
#pragma warning disable CA5350 // SHA-1 is what RFC 4122 prescribes for version 5 identifiers; it protects nothing here.
        var hash = SHA1.HashData(input);
#pragma warning restore CA5350
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true).ToString("D");
    }
}

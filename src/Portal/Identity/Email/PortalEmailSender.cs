using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using SupplierAssure.ServiceDefaults;

namespace SupplierAssure.Portal.Identity.Email;

/// <summary>Outgoing e-mail settings. Bound from "Email".</summary>
public sealed class EmailOptions
{
    public const string SectionName = "Email";

    /// <summary>Sender address of every message.</summary>
    public string From { get; set; } = "SupplierAssure <no-reply@supplierassure.example>";

    /// <summary>SMTP server; when empty, messages are written as .eml files to <see cref="PickupDirectory"/>.</summary>
    public string? SmtpHost { get; set; }

    public int SmtpPort { get; set; } = 587;

    /// <summary>STARTTLS on the SMTP connection (on by default; off only for a local sink).</summary>
    public bool SmtpUseStartTls { get; set; } = true;

    public string? SmtpUserName { get; set; }

    public string? SmtpPassword { get; set; }

    /// <summary>Folder for .eml files when no SMTP server is set; relative paths are under the data directory.</summary>
    public string PickupDirectory { get; set; } = "mail-pickup";
}

/// <summary>Sends the Portal's account e-mails (confirmation, password reset, invitations).</summary>
public interface IPortalEmailSender
{
    Task SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken);

    /// <summary>The same, with one file attached (a calendar invitation, for example).</summary>
    Task SendAsync(string to, string subject, string textBody, EmailAttachment attachment, CancellationToken cancellationToken);
}

/// <summary>A file sent with an e-mail; <see cref="ContentType"/> is a full MIME type such as "text/calendar; method=REQUEST".</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>
/// SMTP through MailKit when <see cref="EmailOptions.SmtpHost"/> is set, else a pickup folder, so the demo and the
/// tests can read what would have been sent. Message bodies carry one-time links and are never logged.
/// </summary>
internal sealed partial class PortalEmailSender(IOptions<EmailOptions> options, SupplierAssurePaths paths, ILogger<PortalEmailSender> logger) : IPortalEmailSender
{
    public Task SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken) =>
        SendCoreAsync(to, subject, textBody, null, cancellationToken);

    public Task SendAsync(string to, string subject, string textBody, EmailAttachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return SendCoreAsync(to, subject, textBody, attachment, cancellationToken);
    }

    private async Task SendCoreAsync(string to, string subject, string textBody, EmailAttachment? attachment, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        var body = new BodyBuilder { TextBody = textBody };
        if (attachment is not null)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }

        message.Body = body.ToMessageBody();

        if (string.IsNullOrWhiteSpace(settings.SmtpHost))
        {
            var folder = paths.Resolve(settings.PickupDirectory);
            Directory.CreateDirectory(folder);
            var file = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml");
            await message.WriteToAsync(file, cancellationToken);
            LogWritten(subject);
            return;
        }

        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(settings.SmtpHost, settings.SmtpPort, settings.SmtpUseStartTls ? SecureSocketOptions.StartTls : SecureSocketOptions.None, cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUserName))
        {
            await smtp.AuthenticateAsync(settings.SmtpUserName, settings.SmtpPassword ?? string.Empty, cancellationToken);
        }

        await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
        LogSent(subject);
    }

    // Only the subject: the recipient is personal data and the body holds one-time links.
    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail '{Subject}' written to the pickup folder.")]
    private partial void LogWritten(string subject);

    [LoggerMessage(Level = LogLevel.Information, Message = "E-mail '{Subject}' sent over SMTP.")]
    private partial void LogSent(string subject);
}

using Microsoft.Extensions.Options;
using SupplierAssure.Core.Notifications;
using SupplierAssure.Portal.Identity.Email;

namespace SupplierAssure.Portal.Features.Notifications;

/// <summary>Notification e-mails go out through the Portal's e-mail sender (SMTP, or the pickup folder).</summary>
internal sealed class PortalNotificationEmailSender(IPortalEmailSender sender) : INotificationEmailSender
{
    public Task SendAsync(string to, string subject, string textBody, CancellationToken cancellationToken) =>
        sender.SendAsync(to, subject, textBody, cancellationToken);
}

/// <summary>Settings of the notification e-mail loop. Bound from "Notifications".</summary>
public sealed class NotificationEmailOptions
{
    public const string SectionName = "Notifications";

    /// <summary>Send e-mail copies of notifications from this process.</summary>
    public bool EmailEnabled { get; set; } = true;

    /// <summary>How often stored notifications are looked at for e-mails still to send.</summary>
    public TimeSpan EmailInterval { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 50;
}

/// <summary>Sends the e-mail copies of new notifications every <see cref="NotificationEmailOptions.EmailInterval"/>.</summary>
internal sealed partial class NotificationEmailService(
    NotificationMailer mailer,
    IOptions<NotificationEmailOptions> options,
    ILogger<NotificationEmailService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.EmailEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.EmailInterval);
        do
        {
            try
            {
                var sent = await mailer.SendPendingAsync(options.Value.BatchSize, stoppingToken);
                if (sent > 0)
                {
                    LogSent(sent);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The failed notification was released for the next round; log and keep the loop alive.
                LogFailed(ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent the e-mail copies of {Count} notification(s).")]
    private partial void LogSent(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending notification e-mails failed; trying again at the next interval.")]
    private partial void LogFailed(Exception exception);
}

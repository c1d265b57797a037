using HingeSensor.Protocol;

namespace HingeSensor.Host.Client
{
    /// <summary>
    /// What a device's answer means, in a sentence for the person at the keyboard: the result code
    /// read together with the request it answers (its session id, the settings sent) and what the
    /// device sent back (the refused field). The one place result codes become words, so that no
    /// command shows "WriteConfig: InvalidParameter".
    /// </summary>
    public static class DeviceRefusal
    {
        /// <param name="request">The request's parameters (after opcode and id), for the session it names.</param>
        /// <param name="answer">The response's payload, for the field a refused config names.</param>
        /// <param name="config">The settings that were sent, for the value a refusal is about.</param>
        public static string Describe(Opcode op, ResultCode result, byte[]? request = null, byte[]? answer = null, DeviceConfig? config = null)
        {
            string session = request is { Length: >= 2 } && (op == Opcode.Download || op == Opcode.MarkDownloaded || op == Opcode.EraseSession)
                ? "session " + (request[0] | (request[1] << 8)) : "that session";
            switch (result)
            {
                case ResultCode.Success:
                case ResultCode.Accepted:
                    return "done";
                case ResultCode.UnknownOpcode:
                    return $"the device does not know how to {Action(op)}: its firmware is older than this hinge; update it";
                case ResultCode.InvalidLength:
                    if (op == Opcode.WriteConfig && config != null && (config.DeviceName.Length > DeviceConfig.MaxNameBytes || config.DeviceName.Length == 0))
                        return "the device refused the settings: " + ConfigSettings.OutOfRange(ConfigField.DeviceName, config);
                    return $"the device did not take the request to {Action(op)} (its length): its firmware and this hinge disagree on the protocol";
                case ResultCode.InvalidParameter:
                    if (op == Opcode.WriteConfig)
                        return "the device refused the settings: " + ConfigSettings.OutOfRange(answer is { Length: > 0 } ? (ConfigField)answer[0] : ConfigField.None, config ?? new DeviceConfig());
                    if (op == Opcode.SetTime) return "the device refused the time it was given (is this computer's clock right?)";
                    if (op == Opcode.Download) return $"the device has no such position in {session}: download it again from the start";
                    return $"the device refused a value in the request to {Action(op)}";
                case ResultCode.Busy:
                    if (op == Opcode.CalibrateNeutral || op == Opcode.CalibrateHinge || op == Opcode.CalibrateRange)
                        return "a calibration capture is still running: wait for its result";
                    if (op == Opcode.Download) return "the device is already sending a session: wait for it to finish";
                    return "the device is busy (its queue of requests is full): try again in a moment";
                case ResultCode.InsufficientSecurity:
                    return $"the device will {Action(op)} only over a paired, encrypted link: pair with it first";
                case ResultCode.NotFound:
                    return $"there is no {session} on the device (see `hinge device sessions`)";
                case ResultCode.StorageFull:
                    return "the device's storage is full: download and erase sessions first (`hinge device download --erase`)";
                case ResultCode.NotCalibrated:
                    if (op == Opcode.CalibrateRange)
                        return "the range comes after the neutral and the hinge: calibrate those first (`hinge calibrate neutral`, then `hinge calibrate hinge`)";
                    return "calibrate first (`hinge calibrate neutral`, then `hinge calibrate hinge`)";
                case ResultCode.DigestMismatch:
                    return $"the device's copy of {session} is not the one stored here (its SHA-256 differs): download it again";
                case ResultCode.NotDownloaded:
                    return $"{session} was never downloaded; download it first, or add --force";
                case ResultCode.InvalidState:
                    if (op == Opcode.StartRecording) return "the device is already recording";
                    if (op == Opcode.StopRecording) return "the device is not recording";
                    if (op == Opcode.EraseSession) return $"{session} cannot be erased now (recording, being downloaded, or its digest is still being computed)";
                    return $"the device cannot {Action(op)} in the state it is in";
                case ResultCode.InternalError:
                    if (op == Opcode.WriteConfig || op == Opcode.ResetConfig) return "the device could not save its settings to its flash";
                    if (op == Opcode.Download) return $"the device could not read {session} from its flash";
                    if (op == Opcode.StartRecording) return "the device could not start a session file on its flash";
                    return $"the device failed to {Action(op)} (an internal error)";
                default:
                    return $"the device answered the request to {Action(op)} with code {(int)result}, which this hinge does not know";
            }
        }

        /// <summary>A request as a verb phrase: "start recording".</summary>
        public static string Action(Opcode op) => op switch
        {
            Opcode.Identify => "identify itself",
            Opcode.SetTime => "set its clock",
            Opcode.CalibrateNeutral => "calibrate the neutral stance",
            Opcode.CalibrateHinge => "calibrate the hinge",
            Opcode.CalibrateRange => "calibrate the range",
            Opcode.StartRecording => "start recording",
            Opcode.StopRecording => "stop recording",
            Opcode.ListSessions => "list its sessions",
            Opcode.Download => "send a session",
            Opcode.AbortDownload => "stop sending a session",
            Opcode.MarkDownloaded => "mark a session downloaded",
            Opcode.EraseSession => "erase a session",
            Opcode.WriteConfig => "change its settings",
            Opcode.ResetConfig => "reset its settings",
            _ => $"do request 0x{(int)op:x2}",
        };
    }
}

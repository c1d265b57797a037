namespace HingeSensor.Protocol
{
    /// <summary>Control-point requests: [opcode u8][request id u8][parameters]. Values are wire values: never renumber.</summary>
    public enum Opcode
    {
        /// <summary>Buzz the identify pattern (find which device is which). Protected like every opcode: a stranger must not buzz the wearer.</summary>
        Identify = 0x01,

        /// <summary>Set the wall clock: unix time in ms (u64). Protected.</summary>
        SetTime = 0x02,

        /// <summary>Start a neutral capture (stand still and tall). Protected; result in a CalibrationDone event.</summary>
        CalibrateNeutral = 0x10,

        /// <summary>Start a hinge capture (slow straight-back hinge). Protected.</summary>
        CalibrateHinge = 0x11,

        /// <summary>Start a range capture (full toe touch). Protected.</summary>
        CalibrateRange = 0x12,

        /// <summary>Start recording a session. Protected. Response payload: session id (u16).</summary>
        StartRecording = 0x20,

        /// <summary>Stop the recording. Protected.</summary>
        StopRecording = 0x21,

        /// <summary>List sessions from index (u16). Protected (reads recordings). Response: a page of entries.</summary>
        ListSessions = 0x30,

        /// <summary>Stream a session from a byte offset: session id (u16), offset (u32). Protected.</summary>
        Download = 0x31,

        /// <summary>Stop the download under way. Protected.</summary>
        AbortDownload = 0x32,

        /// <summary>The host has stored a session: id (u16), the first 12 bytes of the SHA-256 of what it stored. Protected.</summary>
        MarkDownloaded = 0x33,

        /// <summary>
        /// Erase a session: id (u16), force (u8: 1 erases even if never downloaded), the first 12
        /// bytes of its SHA-256 (checked unless forced). Protected.
        /// </summary>
        EraseSession = 0x34,

        /// <summary>Replace the configuration: the config record (see DeviceConfig). Protected.</summary>
        WriteConfig = 0x40,

        /// <summary>Back to the default configuration. Protected.</summary>
        ResetConfig = 0x41,
    }

    /// <summary>What a request came to. Wire values: never renumber.</summary>
    public enum ResultCode
    {
        Success = 0,

        /// <summary>Queued: the work happens after the response; an event reports the outcome.</summary>
        Accepted = 1,
        UnknownOpcode = 2,
        InvalidLength = 3,
        InvalidParameter = 4,
        Busy = 5,

        /// <summary>The link is not encrypted with an authenticated key from a pairing window (made now or stored with a bond): pair first.</summary>
        InsufficientSecurity = 6,
        NotFound = 7,
        StorageFull = 8,
        NotCalibrated = 9,
        /// <summary>MarkDownloaded or EraseSession named a digest that is not the session file's.</summary>
        DigestMismatch = 10,

        /// <summary>Erase refused: the session was never downloaded (send force = 1 to erase anyway).</summary>
        NotDownloaded = 11,
        InvalidState = 12,
        InternalError = 13,
    }

    /// <summary>First byte of a notification on the control characteristic.</summary>
    public enum ControlMessage
    {
        /// <summary>[0xF0][opcode][request id][result][payload]: the answer to a request.</summary>
        Response = 0xF0,

        /// <summary>[0xF1][event][payload]: something the device did on its own or finished later.</summary>
        Event = 0xF1,
    }

    /// <summary>Events on the control characteristic. Wire values: never renumber.</summary>
    public enum DeviceEvent
    {
        /// <summary>[step u8][status u8][failed segment i8][quality ×3 u8 (0-255)][range centideg i16].</summary>
        CalibrationDone = 1,

        /// <summary>
        /// [session id u16][length u32][digest tag 12 bytes: the first 12 of the file's SHA-256,
        /// zero while the device has not computed it]: every byte up to length has been sent.
        /// </summary>
        DownloadDone = 2,

        /// <summary>[session id u16][reason u8]: recording stopped (1 storage full, 2 stopped by request, 3 error).</summary>
        RecordingStopped = 3,

        /// <summary>[segment u8][state u8]: a sensor was lost or came back.</summary>
        SensorHealth = 4,

        /// <summary>[kind u8][fault u8][time ms u32][peak centideg i16]: an alignment event (see AlignmentEventKind).</summary>
        Alignment = 5,

        /// <summary>
        /// [session id u16][offset u32][result u8]: a download stopped short, before the byte at
        /// offset (NotFound: the session was evicted meanwhile; InternalError: the flash read failed).
        /// </summary>
        DownloadFailed = 6,

        /// <summary>[cue u8][rep u8 (number mod 256)][time ms u32][value ×100 i16]: a coaching cue (see CoachingCue; value as CoachingCueEvent.Value).</summary>
        Cue = 7,
    }
}

namespace HingeSensor.Protocol
{
    /// <summary>Health of one sensor as the status reports it. Wire values: never renumber.</summary>
    public enum SensorState
    {
        Ok = 0,

        /// <summary>Not answering; being retried with backoff.</summary>
        Retrying = 1,

        /// <summary>Never found since boot.</summary>
        Absent = 2,

        /// <summary>Being reset and configured (the first ~0.2 s after boot); not a fault.</summary>
        Starting = 3,
    }

    /// <summary>Recording state. Wire values: never renumber.</summary>
    public enum RecordingState
    {
        Idle = 0,
        Recording = 1,

        /// <summary>Stopped because the flash is full of sessions not yet downloaded.</summary>
        StoppedStorageFull = 2,
    }

    /// <summary>
    /// The status characteristic (record version 1, 32 bytes, docs/protocol.md). The first
    /// <see cref="EssentialLength"/> bytes stand on their own: below MTU 35 a notification carries
    /// only them, and the rest is read with a normal (long) read.
    /// </summary>
    public sealed class DeviceStatus
    {
        public const int Version = 1;

        /// <summary>
        /// Version, battery % and mV, charging, three sensor states, calibration flags, capturing,
        /// recording, session id, storage used and total, undownloaded sessions, flags: 19 bytes.
        /// </summary>
        public const int EssentialLength = 1 + 1 + 2 + 1 + 3 + 1 + 1 + 1 + 2 + 2 + 2 + 1 + 1;

        /// <summary>The essential fields, then uptime, FIFO overflows, live drops, loop overruns, control messages lost and 1 reserved byte: 32.</summary>
        public const int EncodedLength = EssentialLength + 4 + 2 + 2 + 2 + 3;

        /// <summary>Where the battery millivolts (u16) and the storage used (u16) sit in the record.</summary>
        public const int OffsetBatteryMillivolts = 2;
        public const int OffsetStorageUsed = 13;

        public const int CalNeutral = 1;
        public const int CalHinge = 2;
        public const int CalRange = 4;

        public const int FlagConfigReset = 1;
        public const int FlagTimeSet = 2;
        public const int FlagStorageFull = 4;
        public const int FlagQuiet = 8;
        public const int FlagStorageRecovered = 16;

        /// <summary>A record on flash (calibration, next id, a session's digest record) failed its check at boot and was set aside.</summary>
        public const int FlagRecordRefused = 32;

        public int BatteryPercent;
        public int BatteryMillivolts;
        public bool Charging;
        public readonly SensorState[] Sensors = new SensorState[3];
        public int CalibrationFlags;

        /// <summary>The calibration step being captured now (CalibrationStep), 0 if none.</summary>
        public int Capturing;
        public RecordingState Recording;
        public int SessionId;
        public int StorageUsedKb;
        public int StorageTotalKb;
        public int UndownloadedSessions;
        public int Flags;
        public uint UptimeS;
        public int FifoOverflows;
        public int LiveDropped;

        /// <summary>Main-loop passes that overran their 10 ms period (the device's CPU budget).</summary>
        public int LoopOverruns;

        /// <summary>
        /// Responses and events the device could not queue (the BLE stack had stopped taking
        /// notifications): a host that timed out waiting for an answer can tell it was lost.
        /// </summary>
        public int ControlLost;

        /// <summary>Writes the record at <paramref name="offset"/>; returns its length.</summary>
        public int Encode(byte[] buffer, int offset)
        {
            return Encode(new ByteWriter(buffer, offset, buffer.Length - offset));
        }

        /// <summary>Writes the record through <paramref name="w"/> (the device reuses one); returns its length.</summary>
        public int Encode(ByteWriter w)
        {
            int offset = w.Position;
            w.U8(Version);
            w.U8(BatteryPercent);
            w.U16(BatteryMillivolts);
            w.U8(Charging ? 1 : 0);
            w.U8((int)Sensors[0]);
            w.U8((int)Sensors[1]);
            w.U8((int)Sensors[2]);
            w.U8(CalibrationFlags);
            w.U8(Capturing);
            w.U8((int)Recording);
            w.U16(SessionId);
            w.U16(StorageUsedKb);
            w.U16(StorageTotalKb);
            w.U8(UndownloadedSessions);
            w.U8(Flags);
            w.U32(UptimeS);
            w.U16(FifoOverflows);
            w.U16(LiveDropped);
            w.U16(LoopOverruns);
            w.U16(ControlLost);
            w.U8(0); // reserved
            return w.Position - offset;
        }

        /// <summary>Reads a status record (whole, or its essential prefix); false when it is not one.</summary>
        public bool Decode(byte[] buffer, int offset, int count)
        {
            if (count < EssentialLength) return false;
            var r = new ByteReader(buffer, offset, count);
            if (r.U8() != Version) return false;
            BatteryPercent = r.U8();
            BatteryMillivolts = r.U16();
            Charging = r.U8() != 0;
            Sensors[0] = (SensorState)r.U8();
            Sensors[1] = (SensorState)r.U8();
            Sensors[2] = (SensorState)r.U8();
            CalibrationFlags = r.U8();
            Capturing = r.U8();
            Recording = (RecordingState)r.U8();
            SessionId = r.U16();
            StorageUsedKb = r.U16();
            StorageTotalKb = r.U16();
            UndownloadedSessions = r.U8();
            Flags = r.U8();
            if (count < EncodedLength) return r.Ok;
            UptimeS = r.U32();
            FifoOverflows = r.U16();
            LiveDropped = r.U16();
            LoopOverruns = r.U16();
            ControlLost = r.U16();
            return r.Ok;
        }
    }
}

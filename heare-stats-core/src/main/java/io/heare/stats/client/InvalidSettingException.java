package io.heare.stats.client;

/**
 * Thrown when a client is built with a setting that cannot work. The message names the
 * setting, the rejected value and what is allowed; a secret's value is never included.
 */
public class InvalidSettingException extends IllegalArgumentException {

	private final String setting;

	private final String value;

	private final String allowed;

	/**
	 * @param setting the setting's name, as the user writes it (for example
	 * {@code dest_port})
	 * @param value the rejected value, already masked when it is a secret; may be null
	 * @param allowed what would be accepted
	 */
	public InvalidSettingException(String setting, String value, String allowed) {
		super("Invalid value " + ((value != null) ? "'" + value + "'" : "(none)") + " for setting '" + setting + "': "
				+ allowed);
		this.setting = setting;
		this.value = value;
		this.allowed = allowed;
	}

	/** The setting's name, for example {@code dest_port}. */
	public String getSetting() {
		return this.setting;
	}

	/** The rejected value (masked for secrets), or {@code null} when it was missing. */
	public String getValue() {
		return this.value;
	}

	/** What would be accepted. */
	public String getAllowed() {
		return this.allowed;
	}

}
